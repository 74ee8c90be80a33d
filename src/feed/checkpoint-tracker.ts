/**
 * The low-water mark of one lease: pages are added in read order with their `handled` promise; the checkpoint is
 * the continuation of the newest page that is handled together with every page before it. A page whose `handled`
 * rejects holds the checkpoint where it is for good (nothing after it may be skipped); the lease is then re-read
 * from that checkpoint by whoever owns it next.
 */
export interface CheckpointTracker {
  /** records a page (or an empty poll, with an already resolved promise) read at `continuation` */
  add(continuation: string, handled: Promise<void>): void;
  /** the continuation that may be checkpointed now, or undefined if nothing has completed since the start */
  position(): string | undefined;
  /** pages added but not yet part of the checkpoint */
  pending(): number;
  /** true once a page's handled promise rejected */
  failed(): boolean;
  /** resolves when every page added so far has settled (or after `timeoutMs`); true if all settled */
  drained(timeoutMs: number): Promise<boolean>;
}

interface Entry {
  readonly continuation: string;
  state: 'pending' | 'handled' | 'failed';
}

export function createCheckpointTracker(initial: string | undefined): CheckpointTracker {
  const entries: Entry[] = [];
  let committed = initial;
  let failures = 0;
  let settledWaiters: Array<() => void> = [];

  const advance = () => {
    while (entries[0]?.state === 'handled') committed = entries.shift()?.continuation;
    if (entries.every((entry) => entry.state !== 'pending')) {
      const waiters = settledWaiters;
      settledWaiters = [];
      for (const wake of waiters) wake();
    }
  };

  return {
    add(continuation, handled) {
      const entry: Entry = { continuation, state: 'pending' };
      entries.push(entry);
      handled.then(
        () => {
          entry.state = 'handled';
          advance();
        },
        () => {
          entry.state = 'failed';
          failures += 1;
          advance();
        },
      );
    },
    position: () => committed,
    pending: () => entries.length,
    failed: () => failures > 0,
    drained(timeoutMs) {
      if (entries.every((entry) => entry.state !== 'pending')) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        // a drain given up on must not keep the process alive until its timeout
        timer.unref();
        settledWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
