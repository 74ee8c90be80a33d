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

/** What a category needs from a cache, for values of its own state type. */
export interface StateCache<V> {
  get(key: string): Cached<V> | undefined;
  set(key: string, value: V, isNewer?: (held: V, offered: V) => boolean): void;
  singleFlight(key: string, load: () => Promise<V>): Promise<V>;
  forgetInflight(key: string): void;
}

const scopes = new WeakMap<object, number>();
let lastScope = 0;

/**
 * A view of a cache shared by several categories (the store's), with keys scoped by `owner` — the category's fold,
 * which fixes the shape of the state — so that categories only ever see states they folded themselves.
 */
export function scopedCache<V>(shared: LruCache<unknown>, owner: object): StateCache<V> {
  let scope = scopes.get(owner);
  if (scope === undefined) {
    lastScope += 1;
    scope = lastScope;
    scopes.set(owner, scope);
  }
  const prefix = `${scope}|`;
  return {
    // The entries under this prefix were all stored through this view, so they hold V.
    get: (key) => shared.get(prefix + key) as Cached<V> | undefined,
    set: (key, value, isNewer) =>
      shared.set(prefix + key, value, isNewer ? (held, offered) => isNewer(held as V, offered as V) : undefined),
    singleFlight: (key, load) => shared.singleFlight(prefix + key, load) as Promise<V>,
    forgetInflight: (key) => shared.forgetInflight(prefix + key),
  };
}
