import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { covers, mergeRanges } from '../../../src/archive/coverage.ts';
import { TornArchiveBlob } from '../../../src/archive/errors.ts';
import { ArchiveLayout } from '../../../src/archive/layout.ts';
import { decodeSegment, encodeSpans, segmentMetadata, writeProblem } from '../../../src/archive/segment.ts';
import type { BatchDocument } from '../../../src/store/documents.ts';
import { withPrunedHistory } from '../../../src/store/pruned-history.ts';

const at = new Date('2026-11-30T01:02:03.456Z');
const event = (index: number) => ({
  index: BigInt(index),
  type: 'Deposited',
  data: { amount: index },
  meta: undefined,
  timestamp: at,
});

describe('segments', () => {
  it('read back as the events written, with the versions each stream holds', () => {
    const encoded = encodeSpans([
      { stream: 'Account-1', index: 3n, events: [event(3), event(4)] },
      { stream: 'Account-2', index: 0n, events: [event(0)] },
    ]);
    expect(encoded.streams).toEqual({ 'Account-1': [[3, 5]], 'Account-2': [[0, 1]] });
    const events = decodeSegment('s', { bytes: encoded.bytes, metadata: segmentMetadata(encoded) });
    expect(events.map((e) => [e.p, e.i, e.c, e.d, e.t])).toEqual([
      ['Account-1', 3, 'Deposited', { amount: 3 }, at.toISOString()],
      ['Account-1', 4, 'Deposited', { amount: 4 }, at.toISOString()],
      ['Account-2', 0, 'Deposited', { amount: 0 }, at.toISOString()],
    ]);
  });

  it('that were cut short or altered are refused as torn', () => {
    const encoded = encodeSpans([{ stream: 'Account-1', index: 0n, events: [event(0), event(1)] }]);
    const metadata = segmentMetadata(encoded);
    expect(() => decodeSegment('s', { bytes: encoded.bytes.subarray(0, 20), metadata })).toThrow(TornArchiveBlob);
    expect(writeProblem(encoded, { length: 20, md5: undefined, metadata })).toMatch(/holds 20 bytes/);
    expect(writeProblem(encoded, { length: encoded.bytes.byteLength, md5: encoded.md5, metadata })).toBeUndefined();
  });

  it('are laid out by category and hour, their manifests beside them', () => {
    const segment = ArchiveLayout.segment('Account', at, 'stem');
    expect(segment).toBe('v1/Account/segments/2026/11/30/01/stem.jsonl.gz');
    expect(ArchiveLayout.manifestOf(segment)).toBe('v1/Account/index/2026/11/30/01/stem.json');
    expect(ArchiveLayout.segmentOf(ArchiveLayout.manifestOf(segment))).toBe(segment);
  });
});

describe('coverage', () => {
  it('holds [from, to) exactly when every version in it is in some range', () => {
    const range = fc.tuple(fc.nat(40), fc.nat(10)).map(([from, length]) => [from, from + length] as const);
    fc.assert(
      fc.property(fc.array(range, { maxLength: 6 }), fc.nat(50), fc.nat(10), (ranges, from, length) => {
        const to = from + length;
        const every = [...Array(length).keys()].every((k) => ranges.some(([a, b]) => a <= from + k && from + k < b));
        expect(covers(ranges, from, to)).toBe(every);
        const merged = mergeRanges(ranges);
        for (let k = 1; k < merged.length; k++)
          expect((merged[k] as [number, number])[0]).toBeGreaterThan((merged[k - 1] as [number, number])[1]);
      }),
    );
  });
});

describe('a load of a pruned stream', () => {
  const batch = (i: number, n: number): BatchDocument => ({ id: String(i), p: 'Account-1', i, n, e: [] });
  async function* from(batches: BatchDocument[]) {
    yield* batches;
  }
  const collect = async (source: AsyncIterable<BatchDocument>) => {
    const out: number[] = [];
    for await (const b of source) out.push(b.i);
    return out;
  };
  const history = { batchesBefore: (_: string, before: number) => from([batch(0, before)]) };

  it('continues from the archive below the oldest batch the container holds', async () => {
    expect(await collect(withPrunedHistory(from([batch(8, 12), batch(4, 8)]), 'Account-1', 12, history))).toEqual([
      8, 4, 0,
    ]);
  });

  it('never asks the archive when the container holds the stream from version 0', async () => {
    const never = {
      batchesBefore: () => {
        throw new Error('asked');
      },
    };
    expect(await collect(withPrunedHistory(from([batch(4, 8), batch(0, 4)]), 'Account-1', 8, never))).toEqual([4, 0]);
  });
});
