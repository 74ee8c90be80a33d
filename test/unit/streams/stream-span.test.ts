import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StreamSpan as Span } from '../../../src/core/index.ts';
import { StreamSpan } from '../../../src/streams/stream-span.ts';
import { span } from './support.ts';

const spanArb = fc.tuple(fc.nat(60), fc.nat(12)).map(([from, count]) => span('Account-1', from, count));
const spansArb = fc.array(spanArb, { maxLength: 12 });

const versions = (spans: readonly Span[]) => spans.flatMap((s) => s.events.map((e) => Number(e.index)));
const union = (spans: readonly Span[]) => [...new Set(versions(spans))].sort((a, b) => a - b);

describe('StreamSpan.merge', () => {
  it('keeps every version exactly once, in order', () => {
    fc.assert(
      fc.property(spansArb, (spans) => {
        expect(versions(StreamSpan.merge(spans))).toEqual(union(spans));
      }),
    );
  });

  it('leaves a gap between neighbouring spans and no empty spans', () => {
    fc.assert(
      fc.property(spansArb, (spans) => {
        const merged = StreamSpan.merge(spans);
        for (const s of merged) expect(s.events.length).toBeGreaterThan(0);
        for (let i = 1; i < merged.length; i++) expect(StreamSpan.end(merged[i - 1]!) < merged[i]!.index).toBe(true);
      }),
    );
  });

  it('gives each event the version its position in the span says', () => {
    fc.assert(
      fc.property(spansArb, (spans) => {
        for (const s of StreamSpan.merge(spans)) {
          expect(s.events.map((e) => e.index)).toEqual(s.events.map((_, offset) => s.index + BigInt(offset)));
        }
      }),
    );
  });

  it('does not depend on the order spans arrive in', () => {
    fc.assert(
      fc.property(spansArb, fc.nat(), (spans, seed) => {
        const shuffled = [...spans].sort(
          (a, b) => ((Number(a.index) * 31 + seed) % 17) - ((Number(b.index) * 31 + seed) % 17),
        );
        expect(StreamSpan.merge(shuffled)).toEqual(StreamSpan.merge(spans));
      }),
    );
  });
});

describe('StreamSpan.insert', () => {
  it('adds a span to a merged list as merge would', () => {
    fc.assert(
      fc.property(spansArb, spanArb, (spans, added) => {
        expect(StreamSpan.insert(StreamSpan.merge(spans), added)).toEqual(StreamSpan.merge([...spans, added]));
      }),
    );
  });
});

describe('StreamSpan.dropBeforeIndex', () => {
  it('keeps exactly the events at or after the index', () => {
    fc.assert(
      fc.property(spanArb, fc.nat(80), (s, index) => {
        const rest = StreamSpan.dropBeforeIndex(s, BigInt(index));
        expect(rest === undefined ? [] : versions([rest])).toEqual(versions([s]).filter((v) => v >= index));
      }),
    );
  });

  it('keeps a sorted list sorted and gapped', () => {
    fc.assert(
      fc.property(spansArb, fc.nat(80), (spans, index) => {
        const rest = StreamSpan.dropListBeforeIndex(StreamSpan.merge(spans), BigInt(index));
        expect(rest).toEqual(StreamSpan.merge(rest));
        expect(versions(rest)).toEqual(union(spans).filter((v) => v >= index));
      }),
    );
  });
});
