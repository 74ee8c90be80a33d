import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/streams/scheduler.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { doc, gate, isSettled, readDocument, recorder, span } from './support.ts';

const page = (documents: Record<string, unknown>[], leaseToken = '0') => ({ leaseToken, documents, continuation: 'c' });

describe('the stream scheduler delivers each stream in order', () => {
  it('hands a stream its events in version order across pages', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    await scheduler.ingest(page([doc('Account-1', 0, 2)]));
    await scheduler.ingest(page([doc('Account-1', 2, 3), doc('Account-2', 0, 1)]));
    await scheduler.awaitCompletion();
    expect(versionsOf('Account-1')).toEqual([0, 1, 2, 3, 4]);
    expect(versionsOf('Account-2')).toEqual([0]);
  });

  it('drops events the tip re-delivers once they have been handled', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    await scheduler.ingest(page([doc('Account-1', 0, 2)]));
    await scheduler.awaitCompletion();
    const { handled } = await scheduler.ingest(page([doc('Account-1', 0, 4)]));
    await handled;
    expect(versionsOf('Account-1')).toEqual([0, 1, 2, 3]);
    expect(scheduler.stats().duplicates).toBe(2);
  });

  it('ignores documents that hold no events and completes their page at once', async () => {
    const { handle, calls } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    const { handled } = await scheduler.ingest(page([{ id: 'view-1', count: 3 }]));
    expect(await isSettled(handled)).toBe(true);
    expect(calls).toEqual([]);
  });

  it('joins a calved batch and the tip of the same page into one span', async () => {
    const { handle, calls } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    await scheduler.ingest(page([doc('Account-1', 10, 3), doc('Account-1', 0, 10)]));
    await scheduler.awaitCompletion();
    expect(calls.map((c) => [Number(c.index), c.events.length])).toEqual([[0, 13]]);
  });

  it('starts a stream it has never seen at the first version it is given when its range is read from a checkpoint', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    scheduler.open('0', { fromBeginning: false, handled: {} });
    await scheduler.ingest(page([doc('Account-1', 7, 2)]));
    expect(await waitUntilHandled(scheduler, 'Account-1', 9n)).toBe('handled');
    await scheduler.ingest(page([doc('Account-1', 9, 1)]));
    await scheduler.awaitCompletion();
    expect(versionsOf('Account-1')).toEqual([7, 8, 9]);
  });

  it('holds events after a gap, and their page, until the gap fills', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    await (await scheduler.ingest(page([doc('Account-1', 0, 2)]))).handled;
    const later = await scheduler.ingest(page([doc('Account-1', 5, 2)]));
    expect(await isSettled(later.handled)).toBe(false);
    expect(scheduler.stats().gaps.open).toBe(1);
    const filling = await scheduler.ingest(page([doc('Account-1', 2, 3)]));
    await Promise.all([later.handled, filling.handled]);
    expect(versionsOf('Account-1')).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(scheduler.stats().gaps.open).toBe(0);
  });

  it('reports a gap that stays open as stale', async () => {
    const scheduler = createScheduler({ handle: async () => undefined, gapWarningAfterMs: 0 }, readDocument);
    await scheduler.ingestSpans('0', [span('Account-1', 0, 1)]);
    await waitUntilHandled(scheduler, 'Account-1', 1n);
    await scheduler.ingestSpans('0', [span('Account-1', 3, 1)]);
    expect(scheduler.stats().gaps).toMatchObject({ open: 1, stale: 1 });
  });

  it('resolves a page only when every stream in it is handled up to the version the page carried', async () => {
    const slow = gate();
    const { handle } = recorder((given) =>
      given.stream === 'Account-2' ? slow.promise.then(() => undefined) : Promise.resolve(undefined),
    );
    const scheduler = createScheduler({ handle }, readDocument);
    const { handled } = await scheduler.ingest(page([doc('Account-1', 0, 1), doc('Account-2', 0, 1)]));
    await waitUntilHandled(scheduler, 'Account-1', 1n);
    expect(await isSettled(handled)).toBe(false);
    slow.open();
    await handled;
  });
});

describe('the stream scheduler runs streams in parallel, one handler per stream', () => {
  it('never runs two handlers of one stream at once and merges read-ahead into the next span', async () => {
    const first = gate();
    let running = 0;
    let most = 0;
    const { handle, calls } = recorder(async () => {
      running++;
      most = Math.max(most, running);
      if (calls.length === 1) await first.promise;
      running--;
      return undefined;
    });
    const scheduler = createScheduler({ handle }, readDocument);
    await scheduler.ingestSpans('0', [span('Account-1', 0, 1)]);
    await scheduler.ingestSpans('0', [span('Account-1', 1, 1)]);
    await scheduler.ingestSpans('0', [span('Account-1', 2, 2)]);
    first.open();
    await scheduler.awaitCompletion();
    expect(most).toBe(1);
    expect(calls.map((c) => [Number(c.index), c.events.length])).toEqual([
      [0, 1],
      [1, 3],
    ]);
  });

  it('runs at most maxConcurrentStreams handlers at the same time', async () => {
    const release = gate();
    let running = 0;
    let most = 0;
    const scheduler = createScheduler(
      {
        maxConcurrentStreams: 3,
        handle: async () => {
          running++;
          most = Math.max(most, running);
          await release.promise;
          running--;
          return undefined;
        },
      },
      readDocument,
    );
    await scheduler.ingestSpans(
      '0',
      Array.from({ length: 10 }, (_, i) => span(`Account-${i}`, 0, 1)),
    );
    expect(scheduler.stats().streams).toMatchObject({ active: 3, queued: 7 });
    release.open();
    await scheduler.awaitCompletion();
    expect(most).toBe(3);
    expect(scheduler.stats().handled.events).toBe(10);
  });

  it('makes ingest wait while maxReadAhead pages are unhandled (back-pressure)', async () => {
    const release = gate();
    const scheduler = createScheduler(
      { maxReadAhead: 2, handle: () => release.promise.then(() => undefined) },
      readDocument,
    );
    await scheduler.ingestSpans('0', [span('Account-1', 0, 1)]);
    await scheduler.ingestSpans('0', [span('Account-2', 0, 1)]);
    const third = scheduler.ingestSpans('0', [span('Account-3', 0, 1)]);
    expect(await isSettled(third)).toBe(false);
    release.open();
    await (await third).handled;
  });

  it('makes ingest wait while maxBufferedEvents events are buffered', async () => {
    const release = gate();
    const scheduler = createScheduler(
      { maxBufferedEvents: 5, handle: () => release.promise.then(() => undefined) },
      readDocument,
    );
    await scheduler.ingestSpans('0', [span('Account-1', 0, 5)]);
    const next = scheduler.ingestSpans('0', [span('Account-2', 0, 1)]);
    expect(await isSettled(next)).toBe(false);
    release.open();
    await (await next).handled;
  });

  it('keeps reading past a full read-ahead when only open gaps remain, so that they can fill', async () => {
    const scheduler = createScheduler({ maxReadAhead: 1, handle: async () => undefined }, readDocument);
    await scheduler.ingestSpans('0', [span('Account-1', 0, 1)]);
    await waitUntilHandled(scheduler, 'Account-1', 1n);
    const waiting = await scheduler.ingestSpans('0', [span('Account-1', 3, 1)]);
    const filling = await scheduler.ingestSpans('0', [span('Account-1', 1, 2)]);
    await Promise.all([waiting.handled, filling.handled]);
  });
});

describe('a long backlog', () => {
  it('is handed over in calls of at most maxEventsPerSpan events, in order', async () => {
    const { handle, calls } = recorder();
    const scheduler = createScheduler({ handle, maxEventsPerSpan: 2 }, readDocument);
    await (await scheduler.ingestSpans('0', [span('Account-1', 0, 5)])).handled;
    expect(calls.map((c) => [Number(c.index), c.events.length])).toEqual([
      [0, 2],
      [2, 2],
      [4, 1],
    ]);
  });
});

describe('a handler may report how far it got', () => {
  it('skips events below a nextIndex ahead of the span it was given', async () => {
    const { handle, versionsOf } = recorder(async (given) =>
      given.index === 0n ? { kind: 'handled', nextIndex: 5n } : undefined,
    );
    const scheduler = createScheduler({ handle }, readDocument);
    await scheduler.ingestSpans('0', [span('Account-1', 0, 2)]);
    expect(await waitUntilHandled(scheduler, 'Account-1', 5n)).toBe('handled');
    const { handled } = await scheduler.ingestSpans('0', [span('Account-1', 2, 5)]);
    await handled;
    expect(versionsOf('Account-1')).toEqual([0, 1, 5, 6]);
  });

  it('hands the rest of a span again when the handler got only part of the way', async () => {
    const { handle, calls } = recorder(async (given) => ({ kind: 'handled', nextIndex: given.index + 1n }));
    const scheduler = createScheduler({ handle }, readDocument);
    await scheduler.ingestSpans('0', [span('Account-1', 0, 3)]);
    await scheduler.awaitCompletion();
    expect(calls.map((c) => Number(c.index))).toEqual([0, 1, 2]);
  });
});

describe('losing a lease', () => {
  it('forgets read-ahead of a revoked lease, and starts the stream afresh when it is read again', async () => {
    const release = gate();
    const { handle, versionsOf } = recorder((given) =>
      given.stream === 'Account-1' ? release.promise.then(() => undefined) : Promise.resolve(undefined),
    );
    const scheduler = createScheduler({ maxConcurrentStreams: 1, handle }, readDocument);
    await scheduler.ingestSpans('a', [span('Account-1', 0, 1)]);
    await scheduler.ingestSpans('b', [span('Account-2', 0, 1)]);
    scheduler.revoke('b');
    release.open();
    await scheduler.awaitCompletion();
    expect(versionsOf('Account-2')).toEqual([]);
    await (await scheduler.ingestSpans('b', [span('Account-2', 0, 2)])).handled;
    expect(versionsOf('Account-2')).toEqual([0, 1]);
  });
});

describe('memory', () => {
  it('forgets idle streams beyond maxTrackedStreams, starting them afresh if they come back', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle, maxTrackedStreams: 10 }, readDocument);
    await scheduler.ingestSpans(
      '0',
      Array.from({ length: 10 }, (_, i) => span(`Account-${i}`, 0, 1)),
    );
    await scheduler.awaitCompletion();
    await scheduler.ingestSpans('0', [span('Account-10', 0, 1)]);
    await scheduler.awaitCompletion();
    expect(scheduler.stats().streams.known).toBeLessThanOrEqual(10);
    await (await scheduler.ingestSpans('0', [span('Account-0', 0, 2)])).handled;
    expect(versionsOf('Account-0')).toEqual([0, 0, 1]);
  });
});

describe('a page whose lease is revoked while it waits for room', () => {
  it('is not handled, and does not hold the read-ahead', async () => {
    const release = gate();
    const { handle, versionsOf } = recorder(() => release.promise.then(() => undefined));
    const scheduler = createScheduler({ handle, maxReadAhead: 1 }, readDocument);
    await scheduler.ingestSpans('a', [span('Account-1', 0, 1)]);
    const waiting = scheduler.ingestSpans('a', [span('Account-2', 0, 1)]);
    scheduler.revoke('a');
    release.open();
    await waiting;
    await scheduler.awaitCompletion();
    expect(versionsOf('Account-2')).toEqual([]);
    expect(scheduler.stats().buffered).toEqual({ events: 0, pages: 0 });
  });
});
