import { describe, expect, it } from 'vitest';
import { HandlerKeptWaiting, HandlerMadeNoProgress } from '../../../src/streams/errors.ts';
import type { HandlerOutcome } from '../../../src/streams/handler.ts';
import { createScheduler } from '../../../src/streams/scheduler.ts';
import { waitUntilFailed, waitUntilHandled } from '../../../src/testing/index.ts';
import { doc, isSettled, readDocument, recorder, span } from './support.ts';

const quickRetry = { initialDelayMs: 1, maxDelayMs: 4, factor: 2 };

describe('a failing handler is retried with backoff', () => {
  it('retries a stream until its handler succeeds, then goes on in order', async () => {
    let failuresLeft = 2;
    const { handle, versionsOf } = recorder(async () => {
      if (failuresLeft-- > 0) throw new Error('database unavailable');
      return undefined;
    });
    const scheduler = createScheduler({ handle, retry: quickRetry }, readDocument);
    const { handled } = await scheduler.ingestSpans('0', [span('Account-1', 0, 2)]);
    await handled;
    expect(versionsOf('Account-1')).toEqual([0, 1, 0, 1, 0, 1]);
    expect(scheduler.stats()).toMatchObject({ failures: 2, streams: { failing: 0 } });
  });

  it('reports a failing stream with its error and attempts', async () => {
    const scheduler = createScheduler(
      {
        handle: async () => {
          throw new TypeError('cannot read the view');
        },
        retry: { initialDelayMs: 60_000 },
      },
      readDocument,
    );
    await scheduler.ingestSpans('0', [span('Account-1', 0, 1)]);
    await waitUntilFailed(scheduler, 'Account-1');
    expect(scheduler.stats().streams.failing).toBe(1);
    expect(scheduler.stats().failing[0]).toMatchObject({
      stream: 'Account-1',
      attempts: 1,
      error: { name: 'TypeError', message: 'cannot read the view' },
    });
    scheduler.close();
  });

  it('holds the pages of a failing stream while other streams go on', async () => {
    const { handle, versionsOf } = recorder(async (given) => {
      if (given.stream === 'Account-1') throw new Error('boom');
      return undefined;
    });
    const scheduler = createScheduler({ handle, retry: quickRetry }, readDocument);
    const held = await scheduler.ingestSpans('0', [span('Account-1', 0, 1), span('Account-2', 0, 1)]);
    const other = await scheduler.ingestSpans('0', [span('Account-2', 1, 1)]);
    await other.handled;
    await waitUntilFailed(scheduler, 'Account-1', 3);
    expect(versionsOf('Account-2')).toEqual([0, 1]);
    expect(await isSettled(held.handled)).toBe(false);
    scheduler.close();
  });

  it('treats a nextIndex that is not past the span as a failure', async () => {
    const scheduler = createScheduler(
      { handle: async (given) => ({ kind: 'handled', nextIndex: given.index }), retry: { initialDelayMs: 60_000 } },
      readDocument,
    );
    scheduler.open('0', { fromBeginning: false, handled: {} });
    await scheduler.ingestSpans('0', [span('Account-1', 3, 1)]);
    expect(await waitUntilFailed(scheduler, 'Account-1')).toBeInstanceOf(HandlerMadeNoProgress);
    scheduler.close();
  });
});

describe('a handler that answers notYet', () => {
  it('is asked again later without blocking other streams', async () => {
    let ready = false;
    const { handle, versionsOf } = recorder(async (given): Promise<HandlerOutcome> => {
      if (given.stream === 'Order-1' && !ready) return { kind: 'notYet', reason: 'the customer is not projected yet' };
      if (given.stream === 'Customer-1') ready = true;
      return undefined;
    });
    const scheduler = createScheduler({ handle, notYet: { delayMs: 1 } }, readDocument);
    await scheduler.ingestSpans('0', [span('Order-1', 0, 1)]);
    await scheduler.ingestSpans('0', [span('Customer-1', 0, 1)]);
    await scheduler.awaitCompletion();
    expect(versionsOf('Customer-1')).toEqual([0]);
    expect(versionsOf('Order-1').at(-1)).toBe(0);
    expect(scheduler.stats().notYet).toBeGreaterThanOrEqual(1);
    expect(scheduler.stats().streams.waiting).toBe(0);
  });

  it('counts as failing once it has answered notYet more times than allowed', async () => {
    const scheduler = createScheduler(
      {
        handle: async () => ({ kind: 'notYet', reason: 'no customer' }),
        notYet: { delayMs: 0, maxAttempts: 3 },
        retry: { initialDelayMs: 60_000 },
      },
      readDocument,
    );
    await scheduler.ingestSpans('0', [span('Order-1', 0, 1)]);
    const error = await waitUntilFailed(scheduler, 'Order-1');
    expect(error).toBeInstanceOf(HandlerKeptWaiting);
    expect((error as HandlerKeptWaiting).message).toContain('no customer');
    expect(scheduler.stats().streams.failing).toBe(1);
    scheduler.close();
  });
});

describe('a handler that answers notYet for too long', () => {
  it('counts as failing once maxWaitMs has passed since its first notYet', async () => {
    const scheduler = createScheduler(
      {
        handle: async () => ({ kind: 'notYet', reason: 'no customer' }),
        notYet: { delayMs: 0, maxWaitMs: 0 },
        retry: { initialDelayMs: 60_000 },
      },
      readDocument,
    );
    await scheduler.ingestSpans('0', [span('Order-1', 0, 1)]);
    expect(await waitUntilFailed(scheduler, 'Order-1')).toBeInstanceOf(HandlerKeptWaiting);
    expect(scheduler.stats().notYet).toBe(1);
    scheduler.close();
  });
});

describe('a malformed event document', () => {
  it('becomes a failure of its stream that holds its page when parking is off', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    const { handled } = await scheduler.ingest({
      leaseToken: '0',
      continuation: 'c',
      documents: [{ id: '0', p: 'Account-1', i: 0, e: 'not events' }, doc('Account-2', 0, 1)],
    });
    await waitUntilHandled(scheduler, 'Account-2', 1n);
    expect(await waitUntilFailed(scheduler, 'Account-1')).toMatchObject({ message: 'document 0 is malformed' });
    expect(await isSettled(handled)).toBe(false);
    expect(scheduler.stats().failing.map((f) => f.stream)).toEqual(['Account-1']);
    await scheduler.ingestSpans('0', [span('Account-1', 0, 1)]);
    expect(versionsOf('Account-1')).toEqual([]);
  });
});

describe('a scheduler asked to quiesce (its processor is stopping)', () => {
  it('resolves once nothing runs, leaving the page of a failing stream unfinished and retrying it no more', async () => {
    let attempts = 0;
    const scheduler = createScheduler(
      {
        handle: async (given) => {
          if (given.stream === 'Account-1') {
            attempts++;
            throw new Error('the mail server is down');
          }
          return undefined;
        },
        retry: { initialDelayMs: 5, maxDelayMs: 5 },
      },
      readDocument,
    );
    const failing = await scheduler.ingestSpans('0', [span('Account-1', 0, 1)]);
    const healthy = await scheduler.ingestSpans('1', [span('Account-2', 0, 1)]);
    await waitUntilFailed(scheduler, 'Account-1', 3);
    await scheduler.quiesce();
    const attemptsWhenQuiet = attempts;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toBe(attemptsWhenQuiet);
    await healthy.handled;
    expect(await isSettled(failing.handled)).toBe(false);
    scheduler.close();
  });
});
