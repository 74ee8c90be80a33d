import type { StreamScheduler } from '../streams/scheduler.ts';

/**
 * Resolves once the event at `version` (0-based) of `stream` has been handled (`'handled'`) or its stream parked
 * (`'parked'`): a test waits for a reactor or projection to catch up instead of sleeping.
 */
export function waitUntilHandled(
  scheduler: StreamScheduler,
  stream: string,
  version: bigint | number,
): Promise<'handled' | 'parked'> {
  return scheduler.waitFor(stream, BigInt(version));
}

/** Resolves with the error once `stream` has failed `attempts` times in a row (default 1). */
export function waitUntilFailed(scheduler: StreamScheduler, stream: string, attempts = 1): Promise<unknown> {
  return scheduler.waitForFailure(stream, attempts);
}

/** Resolves when everything the scheduler was given so far has been handled or parked. */
export function waitUntilIdle(scheduler: StreamScheduler): Promise<void> {
  return scheduler.awaitCompletion();
}
