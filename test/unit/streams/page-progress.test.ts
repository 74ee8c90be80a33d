import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  heldUntilParked,
  mayReadAhead,
  type PageClaim,
  PageProgress,
  PageProgressTracker,
} from '../../../src/streams/page-progress.ts';
import { isSettled } from './support.ts';

describe('page progress', () => {
  it('resolves a page only once every stream it touched reached its claim', async () => {
    const pages = new PageProgressTracker();
    const a: PageClaim[] = [];
    const b: PageClaim[] = [];
    const page = new PageProgress('0');
    pages.claim(a, page, 3);
    pages.claim(b, page, 1);
    const handled = pages.track(page);
    pages.releaseUpTo(a, 2);
    pages.releaseUpTo(b, 1);
    expect(await isSettled(handled)).toBe(false);
    expect(pages.size).toBe(1);
    pages.releaseUpTo(a, 3);
    expect(await isSettled(handled)).toBe(true);
    expect(pages.size).toBe(0);
    expect(a).toEqual([]);
  });

  it('keeps one claim per page and stream, at the furthest version the page carried', () => {
    const pages = new PageProgressTracker();
    const claims: PageClaim[] = [];
    const page = new PageProgress('0');
    pages.claim(claims, page, 2);
    pages.claim(claims, page, 5);
    pages.claim(claims, page, 4);
    expect(claims.map((claim) => claim.until)).toEqual([5]);
    expect(page.remaining).toBe(1);
  });

  it('resolves a page without claims at once, and holds a malformed claim until released by parking', async () => {
    const pages = new PageProgressTracker();
    expect(await isSettled(pages.track(new PageProgress('0')))).toBe(true);
    const claims: PageClaim[] = [];
    const held = new PageProgress('0');
    pages.claim(claims, held, heldUntilParked);
    const handled = pages.track(held);
    pages.releaseUpTo(claims, Number.MAX_SAFE_INTEGER);
    expect(await isSettled(handled)).toBe(false);
    pages.releaseAll(claims);
    expect(await isSettled(handled)).toBe(true);
  });

  it('never resolves the pages of a revoked lease, and reports the oldest change of the pages left', async () => {
    const pages = new PageProgressTracker();
    const claims: PageClaim[] = [];
    const lost = new PageProgress('1', 1_000);
    const kept = new PageProgress('2', 2_000);
    pages.claim(claims, lost, 1);
    pages.claim(claims, kept, 1);
    const lostHandled = pages.track(lost);
    pages.track(kept);
    expect(pages.oldestChangeAt()).toBe(1_000);
    pages.revoke('1');
    expect(pages.oldestChangeAt()).toBe(2_000);
    pages.releaseUpTo(claims, 1);
    expect(await isSettled(lostHandled)).toBe(false);
    expect(pages.size).toBe(0);
  });

  it('lets the reader read on within the limits, or when nothing else can move', () => {
    const limits = { maxReadAhead: 2, maxBufferedEvents: 10 };
    expect(mayReadAhead(1, 9, limits, () => false)).toBe(true);
    expect(mayReadAhead(2, 0, limits, () => false)).toBe(false);
    expect(mayReadAhead(0, 10, limits, () => false)).toBe(false);
    expect(mayReadAhead(2, 10, limits, () => true)).toBe(true);
  });
});

/** pages, each touching some streams up to some position; then streams advance, one step at a time */
const scenario = fc.record({
  pages: fc.array(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 4 }),
    { minLength: 1, maxLength: 8 },
  ),
  steps: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 6 })), { maxLength: 40 }),
});

describe('page progress (property)', () => {
  it('never reports a page handled while a stream it touched is below the version the page carried', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ pages: touched, steps }) => {
        const pages = new PageProgressTracker();
        const claims: PageClaim[][] = [[], [], [], []];
        const positions = [0, 0, 0, 0];
        const handled = new Set<number>();
        touched.forEach((touches, p) => {
          const page = new PageProgress('0');
          for (const [stream, until] of touches) pages.claim(claims[stream]!, page, until);
          pages.track(page).then(() => handled.add(p));
        });
        const carried = (p: number) => touched[p]!;
        for (const [stream, step] of steps) {
          positions[stream]! += step;
          pages.releaseUpTo(claims[stream]!, positions[stream]!);
          await Promise.resolve();
          for (const p of handled)
            for (const [s, until] of carried(p)) expect(positions[s]!).toBeGreaterThanOrEqual(until);
        }
        // and every page whose streams all reached it is handled
        await Promise.resolve();
        touched.forEach((touches, p) => {
          const reached = touches.every(([s, until]) => positions[s]! >= until);
          expect(handled.has(p)).toBe(reached);
        });
      }),
    );
  });
});
