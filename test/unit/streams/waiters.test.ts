import { describe, expect, it } from 'vitest';
import { createInMemoryDeadLetters } from '../../../src/streams/dead-letter-store.ts';
import { createScheduler } from '../../../src/streams/scheduler.ts';
import { StreamState } from '../../../src/streams/stream-state.ts';
import { SchedulerWaiters, type StreamProgress, StreamWatchers } from '../../../src/streams/waiters.ts';
import { waitUntilFailed, waitUntilHandled } from '../../../src/testing/index.ts';
import { gate, isSettled, readDocument, span } from './support.ts';

describe('stream watchers', () => {
  it('tell a watcher what the stream shows at once, then each change, until it stops', () => {
    const watchers = new StreamWatchers();
    const state = new StreamState('A');
    state.writePosition = 2;
    state.failedWith(new Error('x'), 1);
    state.attempts = 1;
    const seen: StreamProgress[] = [];
    const stop = watchers.watch('A', (progress) => seen.push(progress), state);
    watchers.handled('A', 3);
    watchers.handled('B', 9);
    stop();
    watchers.parked('A', 4);
    expect(seen).toEqual([
      { kind: 'handled', nextVersion: 2n },
      { kind: 'failed', attempts: 1, error: new Error('x') },
      { kind: 'handled', nextVersion: 3n },
    ]);
  });
});

describe('scheduler waiters', () => {
  it('wake each wait once its condition holds, and refuse the room waits when closed', async () => {
    const now = { quiet: false, room: false, complete: false };
    const waiters = new SchedulerWaiters({
      isQuiet: () => now.quiet,
      hasRoom: () => now.room,
      isComplete: () => now.complete,
    });
    const quiet = waiters.untilQuiet();
    const complete = waiters.untilComplete();
    const room = waiters.untilRoom();
    now.quiet = true;
    waiters.changed();
    expect(await isSettled(quiet)).toBe(true);
    expect(await isSettled(complete)).toBe(false);
    waiters.close(new Error('closed'));
    await expect(room).rejects.toThrow('closed');
  });
});

describe('the /testing waiters on a scheduler', () => {
  it('resolve once a stream version is handled, whether asked before or after', async () => {
    const hold = gate<undefined>();
    const scheduler = createScheduler({ handle: () => hold.promise }, readDocument);
    await scheduler.ingestSpans('0', [span('A', 0, 2)]);
    const before = waitUntilHandled(scheduler, 'A', 2);
    expect(await isSettled(before)).toBe(false);
    hold.open(undefined);
    expect(await before).toBe('handled');
    expect(await waitUntilHandled(scheduler, 'A', 1)).toBe('handled');
    expect(await waitUntilHandled(scheduler, 'never', 0)).toBe('handled');
    scheduler.close();
  });

  it("resolve 'parked' for a version that went to the dead letters, and with the error after n failures", async () => {
    const deadLetters = createInMemoryDeadLetters();
    const scheduler = createScheduler(
      {
        handle: async () => {
          throw new Error('boom');
        },
        retry: { initialDelayMs: 1, maxDelayMs: 1 },
        parking: { deadLetters, afterAttempts: 2 },
      },
      readDocument,
    );
    await scheduler.ingestSpans('0', [span('A', 0, 1)]);
    expect(await waitUntilFailed(scheduler, 'A', 2)).toMatchObject({ message: 'boom' });
    expect(await waitUntilHandled(scheduler, 'A', 1)).toBe('parked');
    scheduler.close();
  });

  it('wait for the given number of failures in a row, not the first', async () => {
    const scheduler = createScheduler(
      {
        handle: async () => {
          throw new Error('boom');
        },
        retry: { initialDelayMs: 1, maxDelayMs: 1 },
      },
      readDocument,
    );
    await scheduler.ingestSpans('0', [span('A', 0, 1)]);
    await waitUntilFailed(scheduler, 'A', 3);
    expect(scheduler.stats().failing[0]?.attempts).toBeGreaterThanOrEqual(3);
    scheduler.close();
  });
});
