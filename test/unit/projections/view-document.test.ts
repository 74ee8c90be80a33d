import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src/core/index.ts';
import { unappliedEvents, versionAfter, viewId } from '../../../src/projections/index.ts';

const event = (index: number): TimelineEvent => ({
  index: BigInt(index),
  type: 'E',
  data: index,
  meta: undefined,
  timestamp: new Date(0),
});
const span = (stream: string, from: number, count: number) => ({
  stream,
  index: BigInt(from),
  events: Array.from({ length: count }, (_, k) => event(from + k)),
});

describe('view documents', () => {
  it('apply only the events at or after the version recorded for the span’s stream', () => {
    expect(unappliedEvents(undefined, span('A-1', 0, 3)).map((e) => e.index)).toEqual([0n, 1n, 2n]);
    expect(unappliedEvents({ 'A-1': 2 }, span('A-1', 0, 3)).map((e) => e.index)).toEqual([2n]);
    expect(unappliedEvents({ 'A-1': 5 }, span('A-1', 0, 3))).toEqual([]);
    expect(unappliedEvents({ 'A-2': 5 }, span('A-1', 0, 1))).toHaveLength(1);
  });

  it('never move a stream’s recorded version backwards, whatever order spans are redelivered in', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(20), fc.integer({ min: 1, max: 5 })), { maxLength: 30 }), (deliveries) => {
        let versions: Record<string, number> = {};
        for (const [from, count] of deliveries) {
          const before = versions['A-1'] ?? 0;
          const fresh = unappliedEvents(versions, span('A-1', from, count));
          versions = { ...versions, 'A-1': versionAfter(versions, 'A-1', fresh) };
          expect(versions['A-1']).toBeGreaterThanOrEqual(before);
          for (const e of fresh) expect(Number(e.index)).toBeGreaterThanOrEqual(before);
        }
      }),
    );
  });

  it('are named by projection, version and key, with long keys replaced by a digest that fits a Cosmos id', () => {
    expect(viewId('Balances', 2, 'Account-1')).toBe('Balances@2:Account-1');
    const long = viewId('Balances', 1, `Account-${'x'.repeat(300)}`);
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long).toMatch(/^Balances@1:#[0-9a-f]{64}$/);
    expect(viewId('Balances', 1, 'a/b')).toMatch(/^Balances@1:#/);
  });
});
