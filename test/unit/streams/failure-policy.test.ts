import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  afterFailure,
  afterKeptWaiting,
  type FailurePolicy,
  notYetWithinBounds,
  retryDelay,
  Timers,
} from '../../../src/streams/failure-policy.ts';
import { StreamState } from '../../../src/streams/stream-state.ts';

const retry = { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2 };
const notYet = { delayMs: 50, maxAttempts: 3, maxWaitMs: 10_000 };
const parking: FailurePolicy = { retry, notYet, parkAfter: 3, parking: true };
const holding: FailurePolicy = { retry, notYet, parkAfter: Number.POSITIVE_INFINITY, parking: false };
const permanent = Object.assign(new Error('never'), { permanent: true as const });

describe('failure policy', () => {
  it('backs off exponentially from the initial delay up to the ceiling', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelay(retry, attempt))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('retries with backoff until parkAfter attempts, then parks', () => {
    expect(afterFailure(parking, 1, new Error('x'))).toEqual({ kind: 'retry', delayMs: 100 });
    expect(afterFailure(parking, 2, new Error('x'))).toEqual({ kind: 'retry', delayMs: 200 });
    expect(afterFailure(parking, 3, new Error('x'))).toEqual({ kind: 'park' });
  });

  it('parks a permanent failure at once when parking is on, and keeps retrying it when it is off', () => {
    expect(afterFailure(parking, 1, permanent)).toEqual({ kind: 'park' });
    expect(afterFailure(holding, 1, permanent)).toEqual({ kind: 'retry', delayMs: 100 });
    expect(afterFailure(holding, 1_000, new Error('x'))).toEqual({ kind: 'retry', delayMs: 1_000 });
  });

  it('lets a stream answer notYet within its bounds, then counts it as failing', () => {
    expect(notYetWithinBounds(parking, 2, 9_999)).toBe(true);
    expect(notYetWithinBounds(parking, 3, 0)).toBe(false);
    expect(notYetWithinBounds(parking, 1, 10_000)).toBe(false);
    expect(afterKeptWaiting(parking, 1)).toEqual({ kind: 'park' });
    expect(afterKeptWaiting(holding, 2)).toEqual({ kind: 'retry', delayMs: 200 });
  });
});

describe('failure policy (property)', () => {
  it('never shortens the delay from one attempt to the next, nor passes the ceiling', () => {
    const settings = fc.record({
      initialDelayMs: fc.integer({ min: 0, max: 10_000 }),
      maxDelayMs: fc.integer({ min: 0, max: 100_000 }),
      factor: fc.double({ min: 1, max: 10, noNaN: true }),
    });
    fc.assert(
      fc.property(settings, fc.integer({ min: 1, max: 60 }), (given, attempt) => {
        const now = retryDelay(given, attempt);
        expect(retryDelay(given, attempt + 1)).toBeGreaterThanOrEqual(now);
        expect(now).toBeLessThanOrEqual(given.maxDelayMs);
      }),
    );
  });
});

describe('timers', () => {
  afterEach(() => vi.useRealTimers());

  it('delays a stream, counts the timer until it fires, and makes the stream idle again', () => {
    vi.useFakeTimers();
    const timers = new Timers();
    const state = new StreamState('A');
    let fired = 0;
    state.onTimer = () => {
      fired++;
      timers.fired(state);
    };
    timers.delay(state, 100);
    expect(state.phase).toBe('delayed');
    expect(timers.pending).toBe(1);
    vi.advanceTimersByTime(99);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    expect(state.phase).toBe('idle');
    expect(timers.pending).toBe(0);
  });

  it('cancels timers, and sets none once stopping', () => {
    vi.useFakeTimers();
    const timers = new Timers();
    const state = new StreamState('A');
    state.onTimer = () => timers.fired(state);
    timers.delay(state, 100);
    timers.stop([state]);
    expect(timers.pending).toBe(0);
    timers.delay(state, 100);
    expect(state.phase).toBe('delayed');
    expect(timers.pending).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
