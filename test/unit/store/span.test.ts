import { describe, expect, it } from 'vitest';
import { encodeBody } from '../../../src/codec/index.ts';
import { type BatchDocument, eventsOf, MalformedDocument, spanFromDocument } from '../../../src/store/index.ts';
import { timelineUnfold } from '../../../src/store/span.ts';

const at = '2026-01-01T00:00:00.000Z';

describe('spans from change-feed documents', () => {
  it('turns a batch into a span of its events with versions i, i+1, …', () => {
    const span = spanFromDocument({
      id: '4',
      p: 'Account-1',
      i: 4,
      n: 6,
      e: [
        { t: at, c: 'Deposited', d: { amount: 1 }, correlationId: 'c1', causationId: 'k1' },
        { t: at, c: 'Withdrawn', d: { amount: 2 }, m: { user: 'u' } },
      ],
    });
    expect(span?.stream).toBe('Account-1');
    expect(span?.index).toBe(4n);
    expect(span?.events.map((e) => [e.index, e.type, e.data])).toEqual([
      [4n, 'Deposited', { amount: 1 }],
      [5n, 'Withdrawn', { amount: 2 }],
    ]);
    expect(span?.events[0]).toMatchObject({ correlationId: 'c1', causationId: 'k1', timestamp: new Date(at) });
    expect(span?.events[1]?.meta).toEqual({ user: 'u' });
  });

  it('numbers events right across the range of shared small versions, and dates each by its own timestamp', () => {
    const later = '2026-01-01T00:00:01.000Z';
    const first = 65_530;
    const events = Array.from({ length: 12 }, (_, k) => ({ t: k < 6 ? at : later, c: 'X', d: { k } }));
    const span = spanFromDocument({ id: String(first), p: 'A-1', i: first, n: first + 12, e: events });
    expect(span?.index).toBe(65_530n);
    expect(span?.events.map((e) => e.index)).toEqual(Array.from({ length: 12 }, (_, k) => BigInt(first + k)));
    expect(span?.events.map((e) => e.timestamp.toISOString())).toEqual(events.map((e) => e.t));
    // versions from another document are the same values
    expect(eventsOf({ id: '0', p: 'A-2', i: 0, n: 1, e: [{ t: at, c: 'X', d: 1 }] } as BatchDocument)[0]?.index).toBe(
      0n,
    );
  });

  it('decompresses event bodies flagged D: 1', () => {
    const data = { text: 'y'.repeat(400) };
    const body = encodeBody(data, true);
    const span = spanFromDocument({
      id: '-1',
      p: 'A-1',
      i: 0,
      n: 1,
      e: [{ t: at, c: 'X', d: body.value, D: body.encoding }],
      u: [],
    });
    expect(span?.events[0]?.data).toEqual(data);
  });

  it('returns an empty span for a tip that has just calved', () => {
    expect(spanFromDocument({ id: '-1', p: 'A-1', i: 7, n: 7, e: [], u: [] })).toEqual({
      stream: 'A-1',
      index: 7n,
      events: [],
    });
  });

  it('ignores documents that are not tips or batches', () => {
    expect(spanFromDocument({ id: 'lease-1', owner: 'x' })).toBeUndefined();
  });

  it('raises MalformedDocument for a broken event document', () => {
    expect(() => spanFromDocument({ id: '3', p: 'A-1', i: 3, n: 5, e: [{ t: at, c: 'X', d: {} }] })).toThrow(
      MalformedDocument,
    );
    expect(() => spanFromDocument({ id: '3', p: 'A-1', i: 3, e: [] })).toThrow(/"n"/);
    expect(() => spanFromDocument({ id: '3', p: 'A-1', i: 3, n: 4, e: [{ c: 'X', d: {} }] })).toThrow(/timestamp/);
    const later = [
      { t: at, c: 'X', d: {} },
      { t: 'yesterday', c: 'Y', d: {} },
    ];
    expect(() => spanFromDocument({ id: '3', p: 'A-1', i: 3, n: 5, e: later })).toThrow(/"Y" has no ISO timestamp/);
    expect(() => spanFromDocument({ id: '3', p: 'A-1', i: 3, n: 4, e: [{ t: at, d: {} }] })).toThrow(/no string type/);
    expect(() => spanFromDocument({ id: '3', p: 'A-1', i: 3, n: 4, e: [null] })).toThrow(/not an object/);
    expect(() => spanFromDocument({ id: '3', p: 'A-1', i: 0, n: 1, e: [{ t: at, c: 'X', d: 'zz', D: 1 }] })).toThrow(
      MalformedDocument,
    );
  });

  it('names the document, stream and version of an encoded body that does not decode', () => {
    const batch: BatchDocument = {
      id: '4',
      p: 'A-1',
      i: 4,
      n: 6,
      e: [
        { t: at, c: 'X', d: {} },
        { t: at, c: 'Y', d: 'not deflate', D: 1 },
      ],
    };
    expect(() => eventsOf(batch)).toThrow(MalformedDocument);
    expect(() => eventsOf(batch)).toThrow(/Document "4" of stream A-1 .*data of the event at version 5/);
    const unfold = { i: 6, t: at, c: 'Snapshot', d: {}, m: 'zz', M: 9 };
    expect(() => timelineUnfold(unfold, { ...batch, e: [], i: 6 })).toThrow(/metadata of unfold "Snapshot"/);
  });
});
