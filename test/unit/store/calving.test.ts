import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BatchDocument, type EventDocument, planAppend, type TipPosition } from '../../../src/store/index.ts';

const event = (n: number, size = 0): EventDocument => ({
  t: '2026-01-01T00:00:00.000Z',
  c: 'E',
  d: { n, pad: 'x'.repeat(size) },
});

describe('calving the tip', () => {
  it('keeps events in the tip while it is under its limits', () => {
    const plan = planAppend('S-1', undefined, [event(0), event(1)], [], { maxEvents: 5, maxJsonLength: 10_000 });
    expect(plan.calved).toBeUndefined();
    expect(plan.tip).toMatchObject({ id: '-1', p: 'S-1', i: 0, n: 2 });
    expect(plan.tip.e).toHaveLength(2);
  });

  it("moves the tip's events and the new ones to a batch named by its first version when over maxEvents", () => {
    const current: TipPosition = { i: 10, n: 13, e: [event(10), event(11), event(12)] };
    const plan = planAppend('S-1', current, [event(13)], [], { maxEvents: 3, maxJsonLength: 10_000 });
    expect(plan.calved).toMatchObject({ id: '10', p: 'S-1', i: 10, n: 14 });
    expect(plan.calved?.e.map((e) => (e.d as { n: number }).n)).toEqual([10, 11, 12, 13]);
    expect(plan.tip).toMatchObject({ i: 14, n: 14, e: [] });
  });

  it('calves when the events would exceed maxJsonLength', () => {
    const plan = planAppend('S-1', undefined, [event(0, 200)], [], { maxEvents: 100, maxJsonLength: 100 });
    expect(plan.calved?.e).toHaveLength(1);
  });

  it('keeps unfolds in the tip whether or not it calves', () => {
    const unfold = { i: 1, t: '2026-01-01T00:00:00.000Z', c: 'Snapshot', d: {} };
    expect(planAppend('S-1', undefined, [event(0)], [unfold], { maxEvents: 0, maxJsonLength: 1 }).tip.u).toEqual([
      unfold,
    ]);
  });

  it('never loses, duplicates or reorders events across any sequence of appends', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 8 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 50, max: 3000 }),
        (appends, maxEvents, maxJsonLength) => {
          const batches: BatchDocument[] = [];
          let tip: TipPosition | undefined;
          let next = 0;
          for (const sizes of appends) {
            const events = sizes.map((size) => event(next++, size));
            const plan = planAppend('S-1', tip, events, [], { maxEvents, maxJsonLength });
            if (plan.calved) {
              expect(batches.some((b) => b.id === plan.calved?.id)).toBe(false);
              batches.push(plan.calved);
            }
            tip = plan.tip;
            expect(plan.tip.n).toBe(next);
          }
          const stored = [...batches.flatMap((b) => b.e), ...(tip?.e ?? [])].map((e) => (e.d as { n: number }).n);
          expect(stored).toEqual(Array.from({ length: next }, (_, i) => i));
          let expectedI = 0;
          for (const batch of batches) {
            expect(batch.i).toBe(expectedI);
            expect(batch.n - batch.i).toBe(batch.e.length);
            expectedI = batch.n;
          }
          expect(tip?.i ?? 0).toBe(expectedI);
        },
      ),
    );
  });
});
