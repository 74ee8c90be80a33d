import { setTimeout as delay } from 'node:timers/promises';

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // aborted: the caller checks the signal
  }
}

export const aborted = Symbol('aborted');

/** `promise`'s outcome, or `aborted` as soon as `signal` aborts (the promise keeps running, its result is dropped). */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof aborted> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(aborted);
  }
  return new Promise<T | typeof aborted>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => undefined);
      resolve(aborted);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Runs `cycle` every `intervalMs` until `signal` aborts; a cycle's failure goes to `onError` and the loop goes on. */
export async function every(
  intervalMs: number,
  signal: AbortSignal,
  cycle: () => Promise<void>,
  onError: (error: unknown) => void,
): Promise<void> {
  while (!signal.aborted) {
    await pause(intervalMs, signal);
    if (signal.aborted) return;
    try {
      await cycle();
    } catch (error) {
      onError(error);
    }
  }
}
