import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OffsetTracker } from '../../../src/summaries/offset-tracker.ts';

describe('the low-water mark of a partition', () => {
  it('is the oldest offset whose work is unfinished, whatever order the work finishes in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        (raw, picks) => {
          const offsets = [...raw].sort((a, b) => a - b).map(BigInt);
          const tracker = new OffsetTracker();
          for (const offset of offsets) tracker.track(offset);
          const unsettled = new Set(offsets);
          for (const pick of picks) {
            const offset = offsets[pick % offsets.length]!;
            tracker.settle(offset);
            unsettled.delete(offset);
            const oldest = offsets.find((o) => unsettled.has(o));
            expect(tracker.committable()).toBe(oldest ?? offsets.at(-1)! + 1n);
            expect(tracker.pending).toBe(unsettled.size);
          }
        },
      ),
    );
  });

  it('commits nothing before a message is read, and ignores offsets read again or never read', () => {
    const tracker = new OffsetTracker();
    expect(tracker.committable()).toBeUndefined();
    tracker.track(10n);
    tracker.track(10n);
    tracker.track(7n);
    tracker.settle(99n);
    expect(tracker.committable()).toBe(10n);
    tracker.settle(10n);
    expect(tracker.committable()).toBe(11n);
  });
});
