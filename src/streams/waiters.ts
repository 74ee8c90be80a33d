import type { StreamState } from './stream-state.ts';

/** What the scheduler tells a watcher about one stream (see `StreamScheduler.watch`). */
export type StreamProgress =
  /** handled up to `nextVersion` (exclusive): the stream's write position */
  | { readonly kind: 'handled'; readonly nextVersion: bigint }
  /** parked: its events up to `nextVersion` (exclusive) are in its dead letter */
  | { readonly kind: 'parked'; readonly nextVersion: bigint }
  /** failed `attempts` times in a row (a held malformed document counts as one); `error` is the last failure */
  | { readonly kind: 'failed'; readonly attempts: number; readonly error: unknown };

export type StreamWatcher = (progress: StreamProgress) => void;

/** The watchers of each stream, by name: they outlive the stream's state (forgotten streams, revoked leases). */
export class StreamWatchers {
  private readonly byStream = new Map<string, Set<StreamWatcher>>();

  /** Calls `watcher` at once with what `current` shows, then at each change. @returns a function that stops it */
  watch(stream: string, watcher: StreamWatcher, current: StreamState | undefined): () => void {
    let watchers = this.byStream.get(stream);
    if (watchers === undefined) {
      watchers = new Set();
      this.byStream.set(stream, watchers);
    }
    watchers.add(watcher);
    const stop = () => {
      watchers.delete(watcher);
      if (watchers.size === 0 && this.byStream.get(stream) === watchers) this.byStream.delete(stream);
    };
    if (current !== undefined) {
      if (current.writePosition >= 0) watcher({ kind: 'handled', nextVersion: BigInt(current.writePosition) });
      const last = current.parkedSpans[current.parkedSpans.length - 1];
      if (current.phase === 'parked' && last !== undefined)
        watcher({ kind: 'parked', nextVersion: last.index + BigInt(last.events.length) });
      if (current.lastError !== undefined) watcher(failedOf(current));
    }
    return stop;
  }

  handled(stream: string, position: number): void {
    if (this.byStream.size !== 0) this.tell(stream, () => ({ kind: 'handled', nextVersion: BigInt(position) }));
  }

  parked(stream: string, position: number): void {
    if (this.byStream.size !== 0) this.tell(stream, () => ({ kind: 'parked', nextVersion: BigInt(position) }));
  }

  failed(state: StreamState): void {
    if (this.byStream.size !== 0) this.tell(state.stream, () => failedOf(state));
  }

  private tell(stream: string, progress: () => StreamProgress): void {
    const watchers = this.byStream.get(stream);
    if (watchers === undefined) return;
    const told = progress();
    for (const watcher of [...watchers]) watcher(told);
  }
}

function failedOf(state: StreamState): StreamProgress {
  return { kind: 'failed', attempts: state.failures, error: state.lastError };
}

/** What the scheduler-wide waits check. */
export interface SchedulerConditions {
  /** no handler running or queued, no dead-letter write in flight */
  isQuiet(): boolean;
  /** the reader may hand over another page */
  hasRoom(): boolean;
  /** everything ingested has been handled or parked */
  isComplete(): boolean;
}

/** Waits on the scheduler as a whole: quiet (to stop), room (to read on), complete (`awaitCompletion`). */
export class SchedulerWaiters {
  private quiet: Array<() => void> = [];
  private room: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private complete: Array<() => void> = [];

  constructor(private readonly conditions: SchedulerConditions) {}

  untilQuiet(): Promise<void> {
    if (this.conditions.isQuiet()) return Promise.resolve();
    return new Promise<void>((resolve) => this.quiet.push(resolve));
  }

  untilRoom(): Promise<void> {
    if (this.conditions.hasRoom()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.room.push({ resolve, reject }));
  }

  untilComplete(): Promise<void> {
    if (this.conditions.isComplete()) return Promise.resolve();
    return new Promise<void>((resolve) => this.complete.push(resolve));
  }

  /** Something moved: wakes the waits whose condition now holds. */
  changed(): void {
    if (this.quiet.length > 0 && this.conditions.isQuiet()) {
      const waiting = this.quiet;
      this.quiet = [];
      for (const resolve of waiting) resolve();
    }
    if (this.room.length > 0 && this.conditions.hasRoom()) {
      const waiting = this.room;
      this.room = [];
      for (const { resolve } of waiting) resolve();
    }
    if (this.complete.length > 0 && this.conditions.isComplete()) {
      const waiting = this.complete;
      this.complete = [];
      for (const resolve of waiting) resolve();
    }
  }

  /** The scheduler closed: pages waiting for room are refused with `error`. */
  close(error: unknown): void {
    const waiting = this.room;
    this.room = [];
    for (const { reject } of waiting) reject(error);
  }
}
