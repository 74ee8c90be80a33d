import type { StreamScheduler } from '../streams/scheduler.ts';

/**
 * Resolves once `stream` has been handled up to `version` — a stream version as `transact` reports it (the number of
 * events, so `{ version }` from the append a test just made) — with `'handled'`, or `'parked'` if the stream was
 * parked before that: a test waits for a reactor or projection to catch up instead of sleeping. Version 0 (nothing
 * written) resolves at once.
 */
export function waitUntilHandled(
  scheduler: StreamScheduler,
  stream: string,
  version: bigint | number,
): Promise<'handled' | 'parked'> {
  const count = BigInt(version);
  if (count <= 0n) return Promise.resolve('handled');
  return scheduler.waitFor(stream, count - 1n);
}

/** Resolves with the error once `stream` has failed `attempts` times in a row (default 1). */
export function waitUntilFailed(scheduler: StreamScheduler, stream: string, attempts = 1): Promise<unknown> {
  return scheduler.waitForFailure(stream, attempts);
}

/**
 * Resolves when everything the scheduler was given so far has been handled or parked. Right after a processor
 * starts it may not have been given anything yet: wait for a stream version with `waitUntilHandled` instead.
 */
export function waitUntilIdle(scheduler: StreamScheduler): Promise<void> {
  return scheduler.awaitCompletion();
}
