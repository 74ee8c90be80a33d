import type { StreamScheduler } from '../streams/scheduler.ts';
import type { StreamProgress } from '../streams/waiters.ts';

/** Resolves with the first value `pick` returns for what the scheduler reports of `stream` (now or later). */
function firstOf<T>(
  scheduler: StreamScheduler,
  stream: string,
  pick: (progress: StreamProgress) => T | undefined,
): Promise<T> {
  return new Promise<T>((resolve) => {
    let found = false;
    const stop = scheduler.watch(stream, (progress) => {
      if (found) return;
      const value = pick(progress);
      if (value === undefined) return;
      found = true;
      resolve(value);
      // the first report can come before `watch` returns: then `stop` is called below
      if (typeof stop === 'function') stop();
    });
    if (found) stop();
  });
}

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
  return firstOf(scheduler, stream, (progress) =>
    progress.kind !== 'failed' && progress.nextVersion >= count ? progress.kind : undefined,
  );
}

/** Resolves with the error once `stream` has failed `attempts` times in a row (default 1). */
export function waitUntilFailed(scheduler: StreamScheduler, stream: string, attempts = 1): Promise<unknown> {
  return firstOf(scheduler, stream, (progress) =>
    progress.kind === 'failed' && progress.attempts >= attempts ? { error: progress.error } : undefined,
  ).then(({ error }) => error);
}

/**
 * Resolves when everything the scheduler was given so far has been handled or parked. Right after a processor
 * starts it may not have been given anything yet: wait for a stream version with `waitUntilHandled` instead.
 */
export function waitUntilIdle(scheduler: StreamScheduler): Promise<void> {
  return scheduler.awaitCompletion();
}
