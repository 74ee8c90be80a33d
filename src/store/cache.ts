/** A value remembered with the time it was read (for MaxStale). */
export interface Cached<V> {
  readonly value: V;
  readonly readAt: number;
}

/**
 * A per-process least-recently-used map with single-flight loading: concurrent `load`s of one key share one
 * request. A Map iterates in insertion order, so re-inserting on access keeps the oldest entry first.
 */
export class LruCache<V> {
  readonly #entries = new Map<string, Cached<V>>();
  readonly #inflight = new Map<string, Promise<V>>();

  constructor(
    readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): Cached<V> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  /** Stores `value` unless `isNewer(current, value)` says the entry already holds something newer. */
  set(key: string, value: V, isNewer: (held: V, offered: V) => boolean = () => false): void {
    const held = this.#entries.get(key);
    if (held !== undefined && isNewer(held.value, value)) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, readAt: this.now() });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
    this.#inflight.delete(key);
  }

  /** Runs `load` unless a load of `key` is already running, in which case its result is shared. */
  singleFlight(key: string, load: () => Promise<V>): Promise<V> {
    const running = this.#inflight.get(key);
    if (running !== undefined) return running;
    const started = load().finally(() => {
      if (this.#inflight.get(key) === started) this.#inflight.delete(key);
    });
    this.#inflight.set(key, started);
    return started;
  }

  /** Forgets a running load so later callers do not join it (after a write made its answer old). */
  forgetInflight(key: string): void {
    this.#inflight.delete(key);
  }
}
