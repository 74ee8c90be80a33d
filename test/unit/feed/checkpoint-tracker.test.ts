import { describe, expect, it } from 'vitest';
import { createCheckpointTracker } from '../../../src/feed/checkpoint-tracker.ts';

function deferred() {
  let resolve = () => {};
  let reject = (_: unknown) => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('checkpoint low-water mark', () => {
  it('starts at the stored checkpoint', () => {
    expect(createCheckpointTracker('c0').position()).toBe('c0');
  });

  it('moves only as far as the newest page whose earlier pages are all handled', async () => {
    const tracker = createCheckpointTracker(undefined);
    const pages = [deferred(), deferred(), deferred()];
    for (const [i, page] of pages.entries()) tracker.add(`c${i + 1}`, page.promise);
    pages[1]?.resolve();
    pages[2]?.resolve();
    await settle();
    expect(tracker.position()).toBeUndefined();
    pages[0]?.resolve();
    await settle();
    expect(tracker.position()).toBe('c3');
    expect(tracker.pending()).toBe(0);
  });

  it('holds the checkpoint before a page whose handling failed', async () => {
    const tracker = createCheckpointTracker('c0');
    const pages = [deferred(), deferred(), deferred()];
    for (const [i, page] of pages.entries()) tracker.add(`c${i + 1}`, page.promise);
    pages[0]?.resolve();
    pages[1]?.reject(new Error('handler failed'));
    pages[2]?.resolve();
    await settle();
    expect(tracker.position()).toBe('c1');
    expect(tracker.failed()).toBe(true);
  });

  it('reports when every page in flight has settled, or gives up after a timeout', async () => {
    const tracker = createCheckpointTracker(undefined);
    const page = deferred();
    tracker.add('c1', page.promise);
    expect(await tracker.drained(5)).toBe(false);
    const drained = tracker.drained(5_000);
    page.resolve();
    expect(await drained).toBe(true);
  });
});
