import { describe, expect, it } from 'vitest';
import { createInMemoryDeadLetters, type DeadLetterStore } from '../../../src/streams/dead-letter-store.ts';
import { ReplayFailed, StreamNotParked } from '../../../src/streams/errors.ts';
import { Timers } from '../../../src/streams/failure-policy.ts';
import { PageProgress, PageProgressTracker } from '../../../src/streams/page-progress.ts';
import { Parking } from '../../../src/streams/parking.ts';
import type { StreamState } from '../../../src/streams/stream-state.ts';
import { StreamStates } from '../../../src/streams/stream-states.ts';
import { isSettled, span } from './support.ts';

const quick = { initialDelayMs: 1, maxDelayMs: 2, factor: 2 };

/** Parking over real stream states and pages; `put` fails `failures` times first. */
function setup(failures = 0) {
  const memory = createInMemoryDeadLetters();
  let failing = failures;
  const store: DeadLetterStore = {
    ...memory,
    put: (letter) => (failing-- > 0 ? Promise.reject(new Error('store down')) : memory.put(letter)),
  };
  const states = new StreamStates();
  const pages = new PageProgressTracker();
  const timers = new Timers();
  const parked: Array<[string, number]> = [];
  const settled: StreamState[] = [];
  let changed = 0;
  const parking = new Parking(store, 'p', quick, {
    states,
    pages,
    timers,
    reread: () => undefined,
    parked: (state, until) => parked.push([state.stream, until]),
    settle: (state) => settled.push(state),
    changed: () => changed++,
  });
  /** a stream with `count` pending events from 0, claimed by a page being tracked */
  const pendingStream = (stream: string, count: number) => {
    const state = states.stateOf(stream);
    state.writePosition = 0;
    const page = new PageProgress('0');
    const end = states.add(state, span(stream, 0, count), 0);
    pages.claim(state.pageClaims, page, end);
    return { state, handled: pages.track(page) };
  };
  return { memory, states, pages, timers, parking, parked, settled, pendingStream, changes: () => changed };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
};

describe('parking', () => {
  it('writes every pending event to the dead letter, then releases the pages the stream held', async () => {
    const { memory, parking, parked, pendingStream, states } = setup();
    const { state, handled } = pendingStream('A', 3);
    state.attempts = 2;
    parking.park(state, new Error('boom'), 'failed');
    expect(state.phase).toBe('parking');
    expect(states.buffered).toBe(0);
    await handled;
    expect(state.phase).toBe('parked');
    const [letter] = memory.letters.values();
    expect(letter).toMatchObject({ stream: 'A', reason: 'failed', attempts: 2, error: { message: 'boom' } });
    expect(letter?.events.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(parked).toEqual([['A', 3]]);
    expect(parking.writes).toBe(0);
  });

  it('retries a failed write with backoff, holding the page (and counting a pending timer) meanwhile', async () => {
    const { memory, parking, pendingStream, timers } = setup(2);
    const { state, handled } = pendingStream('A', 1);
    parking.park(state, new Error('boom'), 'failed');
    await until(() => parking.failures === 1);
    expect(await isSettled(handled)).toBe(false);
    expect(parking.writes).toBe(1);
    await handled;
    expect(parking.failures).toBe(2);
    expect(timers.pending).toBe(0);
    expect(memory.letters.size).toBe(1);
  });

  it('adds events that arrive while writing to the letter, losing none', async () => {
    const { memory, parking, pendingStream, states } = setup(1);
    const { state } = pendingStream('A', 2);
    parking.park(state, new Error('boom'), 'failed');
    states.add(state, span('A', 2, 2), 0);
    await until(() => state.phase === 'parked' && parking.writes === 0);
    expect([...memory.letters.values()][0]?.events.map((e) => e.index)).toEqual([0, 1, 2, 3]);
    expect(state.pending).toEqual([]);
  });

  it('replays a parked stream: its events pending again, the letter removed once they are handled', async () => {
    const { memory, parking, pendingStream, settled, states } = setup();
    const { state, handled } = pendingStream('A', 2);
    parking.park(state, new Error('boom'), 'failed');
    await handled;
    const replayed = parking.replay('A');
    await until(() => settled.length === 1);
    expect(state.phase).toBe('idle');
    expect(state.pending.map((s) => s.events.length)).toEqual([2]);
    expect(states.buffered).toBe(2);
    expect(await isSettled(replayed)).toBe(false);
    state.writePosition = 2;
    parking.finishReplay(state);
    await replayed;
    expect(memory.letters.size).toBe(0);
    expect(parking.replays).toBe(0);
  });

  it('replays a stream asked for while its dead-letter write is still in progress, once the write settles', async () => {
    const { memory, parking, pendingStream, settled } = setup(1);
    const { state, handled } = pendingStream('A', 2);
    parking.park(state, new Error('boom'), 'failed');
    // two callers wait on the same write (the first write fails, the retry succeeds)
    const replays = [parking.replay('A'), parking.replay('A').catch((error: unknown) => error)];
    expect(state.phase).toBe('parking');
    await handled;
    await until(() => settled.length === 1);
    expect(state.phase).toBe('idle');
    expect(state.pending.map((s) => s.events.length)).toEqual([2]);
    // the second caller finds the stream no longer parked
    expect(await replays[1]).toBeInstanceOf(StreamNotParked);
    state.writePosition = 2;
    parking.finishReplay(state);
    await replays[0];
    expect(memory.letters.size).toBe(0);
  });

  it('rejects a replay when the stream is parked again, and refuses to replay a stream not parked', async () => {
    const { parking, pendingStream, settled, states } = setup();
    const { state, handled } = pendingStream('A', 1);
    parking.park(state, new Error('boom'), 'failed');
    await handled;
    const replayed = parking.replay('A');
    await until(() => settled.length === 1);
    parking.park(state, new Error('again'), 'failed');
    await expect(replayed).rejects.toBeInstanceOf(ReplayFailed);
    await expect(parking.replay('B')).rejects.toBeInstanceOf(StreamNotParked);
    expect(states.get('A')?.phase).toBe('parked');
  });
});
