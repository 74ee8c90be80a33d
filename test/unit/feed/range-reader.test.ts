import type { ChangeFeedStartFrom, Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { createCheckpointTracker } from '../../../src/feed/checkpoint-tracker.ts';
import type { FeedPage, FeedSink } from '../../../src/feed/index.ts';
import { createRangeReader, idlePauseMs, startFirstRead } from '../../../src/feed/range-reader.ts';

interface Scripted {
  statusCode: 200 | 304;
  documents: Record<string, unknown>[];
  continuation: string;
}

/** A container whose change feed answers from a script, then "nothing new" at the last continuation forever. */
function scriptedContainer(script: Scripted[], gate?: () => Promise<void>) {
  const reads = { count: 0 };
  const container = {
    items: {
      getChangeFeedIterator: () => ({
        async readNext() {
          reads.count += 1;
          await gate?.();
          const next = script.shift() ?? { statusCode: 304, documents: [], continuation: 'end' };
          if (script.length === 0) script.push({ statusCode: 304, documents: [], continuation: next.continuation });
          return { statusCode: next.statusCode, result: next.documents, continuationToken: next.continuation };
        },
      }),
    },
  };
  return { container: container as unknown as Container, reads };
}

function recordingSink(accept: (page: FeedPage) => Promise<void> = async () => {}) {
  const pages: FeedPage[] = [];
  const sink: FeedSink = {
    async ingest(page) {
      pages.push(page);
      await accept(page);
      return { handled: Promise.resolve() };
    },
    revoke() {},
  };
  return { sink, pages };
}

const reader = (container: Container, sink: FeedSink, tracker = createCheckpointTracker(undefined)) =>
  createRangeReader({
    leaseToken: 'lease-1',
    firstRead: startFirstRead(container, {} as ChangeFeedStartFrom, 10),
    sink,
    tracker,
    pollIntervalMs: 1,
    maxPollIntervalMs: 1,
    onError: () => {},
    onFailed: () => {},
  });

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('reading a lease’s range', () => {
  it('hands pages to the sink in read order and checkpoints past reads that found nothing new', async () => {
    const { container } = scriptedContainer([
      { statusCode: 200, documents: [{ id: 'a' }], continuation: 'c1' },
      { statusCode: 304, documents: [], continuation: 'c2' },
      { statusCode: 200, documents: [{ id: 'b' }, { id: 'c' }], continuation: 'c3' },
      { statusCode: 304, documents: [], continuation: 'c4' },
    ]);
    const { sink, pages } = recordingSink();
    const tracker = createCheckpointTracker(undefined);
    const running = reader(container, sink, tracker);
    await until(() => tracker.position() === 'c4');
    await running.stop();
    expect(pages.map((page) => page.documents.map((d) => d.id))).toEqual([['a'], ['b', 'c']]);
    expect(pages.map((page) => page.continuation)).toEqual(['c1', 'c3']);
    expect(running.stats).toMatchObject({ pages: 2, documents: 3 });
  });

  it('reads one page ahead of the sink and no further while the sink has not accepted the last page (back-pressure)', async () => {
    const { container, reads } = scriptedContainer([
      { statusCode: 200, documents: [{ id: 'a' }], continuation: 'c1' },
      { statusCode: 200, documents: [{ id: 'b' }], continuation: 'c2' },
      { statusCode: 200, documents: [{ id: 'c' }], continuation: 'c3' },
    ]);
    let accept = () => {};
    const { sink, pages } = recordingSink(() => new Promise<void>((resolve) => (accept = resolve)));
    const running = reader(container, sink);
    await until(() => pages.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // page b is read while page a waits for room, page c is not
    expect(reads.count).toBe(2);
    expect(pages).toHaveLength(1);
    accept();
    await until(() => pages.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads.count).toBe(3);
    accept();
    await until(() => pages.length === 3);
    expect(pages.map((page) => page.continuation)).toEqual(['c1', 'c2', 'c3']);
    accept();
    await running.stop();
  });

  it('starts from a first read begun before it existed, then goes on with the same iterator', async () => {
    const { container, reads } = scriptedContainer([
      { statusCode: 200, documents: [{ id: 'a' }], continuation: 'c1' },
      { statusCode: 200, documents: [{ id: 'b' }], continuation: 'c2' },
    ]);
    const items = container.items as unknown as { getChangeFeedIterator: (...args: unknown[]) => unknown };
    const create = items.getChangeFeedIterator;
    let iterators = 0;
    items.getChangeFeedIterator = (...args) => {
      iterators += 1;
      return create(...args);
    };
    const firstRead = startFirstRead(container, {} as ChangeFeedStartFrom, 10);
    expect(reads.count).toBe(1);
    const { sink, pages } = recordingSink();
    const running = createRangeReader({
      leaseToken: 'lease-1',
      firstRead,
      sink,
      tracker: createCheckpointTracker(undefined),
      pollIntervalMs: 1,
      maxPollIntervalMs: 1,
      onError: () => {},
      onFailed: () => {},
    });
    await until(() => pages.length === 2);
    await running.stop();
    expect(pages.map((page) => page.documents.map((d) => d.id))).toEqual([['a'], ['b']]);
    expect(iterators).toBe(1);
  });

  it('abandons a read in flight when stopped, without handing its page to the sink', async () => {
    let release = () => {};
    const gate = () => new Promise<void>((resolve) => (release = resolve));
    const { container, reads } = scriptedContainer(
      [{ statusCode: 200, documents: [{ id: 'a' }], continuation: 'c1' }],
      gate,
    );
    const { sink, pages } = recordingSink();
    const running = reader(container, sink);
    await until(() => reads.count === 1);
    await running.stop();
    release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pages).toEqual([]);
  });

  it('pauses after empty reads with a doubling pause up to the cap, never below the poll interval', () => {
    expect([1, 2, 3, 4, 5, 6, 40].map((n) => idlePauseMs(n, 500, 8_000))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
    expect(idlePauseMs(3, 1_000, 200)).toBe(1_000);
  });

  it('reads again at once while pages have work, backs off while idle, and polls fast again once work comes', async () => {
    const times: number[] = [];
    const queue: Scripted[] = [];
    const container = {
      items: {
        getChangeFeedIterator: () => ({
          async readNext() {
            times.push(performance.now());
            const next = queue.shift() ?? { statusCode: 304, documents: [], continuation: 'c' };
            return { statusCode: next.statusCode, result: next.documents, continuationToken: next.continuation };
          },
        }),
      },
    } as unknown as Container;
    const page = (id: string): Scripted => ({ statusCode: 200, documents: [{ id }], continuation: id });
    queue.push(page('a'), page('b'), page('c'));
    const { sink, pages } = recordingSink();
    const running = createRangeReader({
      leaseToken: 'lease-1',
      firstRead: startFirstRead(container, {} as ChangeFeedStartFrom, 10),
      sink,
      tracker: createCheckpointTracker(undefined),
      pollIntervalMs: 10,
      maxPollIntervalMs: 10_000,
      onError: () => {},
      onFailed: () => {},
    });
    await until(() => pages.length === 3);
    // three pages with work, read back to back (no poll pause between them)
    expect(times[2]! - times[0]!).toBeLessThan(10);
    await new Promise((resolve) => setTimeout(resolve, 700));
    // idle: pauses of 10, 20, 40, 80, 160, 320 ms: a handful of reads, not one every 10 ms
    const idleReads = times.length - 3;
    expect(idleReads).toBeGreaterThanOrEqual(4);
    expect(idleReads).toBeLessThanOrEqual(9);
    // work comes back: once it is read, the pause starts again from the poll interval
    queue.push(page('d'));
    await until(() => pages.length === 4);
    const resumed = times.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(times.length - resumed).toBeGreaterThanOrEqual(3);
    await running.stop();
  });
});
