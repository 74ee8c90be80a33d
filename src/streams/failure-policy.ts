import { isPermanentFailure } from './errors.ts';
import type { StreamState } from './stream-state.ts';

export interface RetrySettings {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
}

export interface FailurePolicy {
  readonly retry: RetrySettings;
  readonly notYet: { readonly delayMs: number; readonly maxAttempts: number; readonly maxWaitMs: number };
  /** failed attempts in a row before a stream is parked; infinite when parking is off */
  readonly parkAfter: number;
  /** whether there is a dead-letter store to park in */
  readonly parking: boolean;
}

/** What happens to a failing stream next. */
export type NextStep = { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'park' };

const park: NextStep = { kind: 'park' };

/** Exponential backoff: `initialDelayMs * factor^(attempt-1)`, capped at `maxDelayMs`. */
export function retryDelay(retry: RetrySettings, attempt: number): number {
  return Math.min(retry.maxDelayMs, retry.initialDelayMs * retry.factor ** Math.max(0, attempt - 1));
}

/** After the `attempts`-th failure in a row: parked when parking is on and the error is permanent or too many. */
export function afterFailure(policy: FailurePolicy, attempts: number, error: unknown): NextStep {
  if (attempts >= policy.parkAfter || (policy.parking && isPermanentFailure(error))) return park;
  return { kind: 'retry', delayMs: retryDelay(policy.retry, attempts) };
}

/** Whether `count` `notYet` answers in a row over `waitedMs` are still within bounds (the stream waits, not fails). */
export function notYetWithinBounds(policy: FailurePolicy, count: number, waitedMs: number): boolean {
  return count < policy.notYet.maxAttempts && waitedMs < policy.notYet.maxWaitMs;
}

/** Past the `notYet` bounds a stream is failing: parked if parking is on, otherwise retried with backoff. */
export function afterKeptWaiting(policy: FailurePolicy, attempts: number): NextStep {
  return policy.parking ? park : { kind: 'retry', delayMs: retryDelay(policy.retry, attempts) };
}

/**
 * The scheduler's timers: streams waiting for a retry or a `notYet` delay, and other counted waits (a dead-letter
 * write to retry). While any runs, something can still move (see `mayReadAhead`).
 */
export class Timers {
  /** timers set and not yet fired or cancelled */
  pending = 0;
  /** stopping: a failing stream keeps its pages unfinished rather than holding the stop for its next retry */
  private stopping = false;

  /** The stream waits `ms` (its phase becomes `delayed`); then its `onTimer` runs. */
  delay(state: StreamState, ms: number): void {
    state.phase = 'delayed';
    if (this.stopping) return;
    this.pending++;
    state.timer = setTimeout(() => state.onTimer(), ms);
  }

  /** The stream's timer fired: it is idle again (unless something else moved it meanwhile). */
  fired(state: StreamState): void {
    state.timer = undefined;
    this.pending--;
    if (state.phase === 'delayed') state.phase = 'idle';
  }

  cancel(state: StreamState): void {
    if (state.timer === undefined) return;
    clearTimeout(state.timer);
    state.timer = undefined;
    this.pending--;
  }

  /** Runs `then` after `ms`, counted as pending meanwhile. */
  after(ms: number, then: () => void): void {
    this.pending++;
    setTimeout(() => {
      this.pending--;
      then();
    }, ms);
  }

  /** Cancels the delayed streams' timers and sets no more. */
  stop(states: Iterable<StreamState>): void {
    this.stopping = true;
    for (const state of states) if (state.phase === 'delayed') this.cancel(state);
  }
}
