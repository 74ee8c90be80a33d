import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StreamSpan } from '../../../src/core/index.ts';
import { Dispatcher, invokeHandler } from '../../../src/streams/dispatcher.ts';
import type { StreamHandler } from '../../../src/streams/handler.ts';
import { StreamState } from '../../../src/streams/stream-state.ts';
import { span } from './support.ts';

function readyState(stream: string, count = 1): StreamState {
  const state = new StreamState(stream);
  state.writePosition = 0;
  state.pending = [span(stream, 0, count)];
  return state;
}

const isReady = (state: StreamState) => state.pending.length > 0;

describe('dispatcher', () => {
  it('starts queued streams first come first served, no more than maxConcurrentStreams at a time', () => {
    const started: string[] = [];
    const dispatcher = new Dispatcher(
      (given) => {
        started.push(given.stream);
        return new Promise(() => {});
      },
      { maxConcurrentStreams: 2, maxEventsPerSpan: 10 },
      isReady,
    );
    const states = ['A', 'B', 'C'].map((s) => readyState(s));
    for (const state of states) dispatcher.enqueue(state);
    dispatcher.pump();
    expect(started).toEqual(['A', 'B']);
    expect(dispatcher.active).toBe(2);
    expect(states.map((s) => s.phase)).toEqual(['active', 'active', 'queued']);
    dispatcher.finish(states[0]!, performance.now());
    dispatcher.pump();
    expect(started).toEqual(['A', 'B', 'C']);
    expect(dispatcher.idle).toBe(false);
  });

  it('hands at most maxEventsPerSpan events per call, and sets the base of a stream placed nowhere yet', () => {
    const given: StreamSpan[] = [];
    const dispatcher = new Dispatcher(
      async (s) => {
        given.push(s);
        return undefined;
      },
      { maxConcurrentStreams: 1, maxEventsPerSpan: 3 },
      isReady,
    );
    const state = new StreamState('A');
    state.pending = [span('A', 5, 10)];
    dispatcher.enqueue(state);
    dispatcher.pump();
    expect(given.map((s) => [Number(s.index), s.events.length])).toEqual([[5, 3]]);
    expect(state.writePosition).toBe(5);
    expect(state.inFlight).toBe(given[0]);
  });

  it('passes over a queued stream that is no longer ready, leaving it idle', () => {
    const dispatcher = new Dispatcher(async () => undefined, { maxConcurrentStreams: 1, maxEventsPerSpan: 3 }, isReady);
    const state = readyState('A');
    dispatcher.enqueue(state);
    state.pending = [];
    dispatcher.pump();
    expect(state.phase).toBe('idle');
    expect(dispatcher.idle).toBe(true);
  });

  it('reports a handler that throws synchronously as a failure of its stream', async () => {
    const state = new StreamState('A');
    const failed = new Promise((resolve) => (state.onFail = resolve));
    const throwing: StreamHandler = () => {
      throw new Error('sync');
    };
    invokeHandler(throwing, state, span('A', 0, 1));
    expect(await failed).toMatchObject({ message: 'sync' });
  });
});

describe('dispatcher (property)', () => {
  it('never runs more than maxConcurrentStreams handlers, and runs each queued stream once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.oneof(fc.constant('enqueue' as const), fc.constant('finish' as const)), { maxLength: 40 }),
        (limit, ops) => {
          let running = 0;
          let most = 0;
          const dispatcher = new Dispatcher(
            () => {
              running++;
              most = Math.max(most, running);
              return new Promise(() => {});
            },
            { maxConcurrentStreams: limit, maxEventsPerSpan: 10 },
            isReady,
          );
          const all: StreamState[] = [];
          for (const op of ops) {
            if (op === 'enqueue') {
              const state = readyState(`S-${all.length}`);
              all.push(state);
              dispatcher.enqueue(state);
            } else {
              const done = all.find((state) => state.phase === 'active');
              if (done !== undefined) {
                dispatcher.finish(done, performance.now());
                done.pending = [];
                running--;
              }
            }
            dispatcher.pump();
            expect(dispatcher.active).toBe(running);
          }
          // first come first served: every stream started before any stream queued after it
          const started = all.filter((state) => state.phase !== 'queued').length;
          expect(all.slice(0, started).every((state) => state.phase !== 'queued')).toBe(true);
          expect(most).toBeLessThanOrEqual(limit);
        },
      ),
    );
  });
});
