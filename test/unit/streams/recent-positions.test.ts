import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentPositions } from '../../../src/streams/recent-positions.ts';

/** The plain model: per lease, streams in the order they last advanced, each with its latest position. */
function modelOf(records: readonly (readonly [string, string, number, boolean])[], limit: number) {
  const byLease = new Map<string, Map<string, number>>();
  for (const [lease, stream, position] of records) {
    const positions = byLease.get(lease) ?? new Map<string, number>();
    byLease.set(lease, positions);
    positions.delete(stream);
    positions.set(stream, position);
  }
  return (lease: string) => Object.fromEntries([...(byLease.get(lease) ?? [])].slice(-limit));
}

/** Advances over `streams` streams: few of them make the log's older part matter once it was cut down. */
const records = (streams: number) =>
  fc.array(
    fc.tuple(
      fc.constantFrom('lease-0', 'lease-1'),
      fc.integer({ min: 0, max: streams - 1 }).map((k) => `S-${k}`),
      fc.nat(1_000),
      fc.nat(9).map((k) => k === 0),
    ),
    { maxLength: 600 },
  );

describe('the recent positions carried with a checkpoint', () => {
  it("are each lease's `limit` most recently advanced streams at their latest positions, however many advances", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }).chain(records), fc.integer({ min: 1, max: 12 }), (records, limit) => {
        const recent = new RecentPositions(limit);
        const model = modelOf(records, limit);
        for (const [k, [lease, stream, position, ask]] of records.entries()) {
          recent.record(lease, stream, position);
          // asking cuts the log down (so does a long log): what is asked later must not change
          if (ask) expect(recent.of(lease)).toEqual(modelOf(records.slice(0, k + 1), limit)(lease));
        }
        expect(recent.of('lease-0')).toEqual(model('lease-0'));
        expect(recent.of('lease-1')).toEqual(model('lease-1'));
      }),
    );
  });

  it('carries nothing with a limit of 0, and forgets a revoked lease', () => {
    const none = new RecentPositions(0);
    none.record('lease-0', 'S-1', 3);
    expect(none.of('lease-0')).toEqual({});
    const recent = new RecentPositions(5);
    recent.record('lease-0', 'S-1', 3);
    recent.forget('lease-0');
    expect(recent.of('lease-0')).toEqual({});
  });
});
