import type { AnyEvent, Codec } from '../codec/index.ts';
import { parseOptions, StreamName } from '../core/index.ts';
import type { Fold } from '../decider/index.ts';
import { type AccessStrategy, accessOf } from './access.ts';
import type { AsOf, StateAsOf } from './as-of.ts';
import { LruCache, scopedCache } from './cache.ts';
import { cachedStreams } from './caching.ts';
import { LoadOption } from './load-option.ts';
import type { ReadRange } from './reading.ts';
import { CategorySettings, InvalidStoreOptions } from './settings.ts';
import type { CategoryModel, StoredEvent, StreamStore, StreamVersion } from './stream-store.ts';
import { type DecisionContext, type TransactOptions, type TransactOutcome, transactor } from './transact.ts';

export type { StoredEvent } from './stream-store.ts';
export type { DecisionContext, TransactOptions, TransactOutcome } from './transact.ts';

export interface CategoryOptions<E extends AnyEvent, S> {
  /** the category: stream names are `${name}-${id}` */
  readonly name: string;
  readonly codec: Codec<E>;
  /** `initial` and `evolve` (a `Decider` fits) */
  readonly fold: Fold<E, S>;
  /** how state is kept cheap to load; default Unoptimized */
  readonly access?: AccessStrategy<NoInfer<E>, NoInfer<S>>;
  /**
   * Where loaded states are cached in this process: by default the store's cache (shared by its categories,
   * keyed by fold and stream); `{ maxEntries }` gives the category a cache of its own; `false` disables caching.
   */
  readonly cache?: false | { readonly maxEntries: number };
  /** attempts of a transact (first try included) before `MaxResyncsExhausted`; default 3 */
  readonly maxAttempts?: number;
  /**
   * After a conflict, wait a random time up to `min(maxMs, baseMs × 2^(attempt-1))` before reloading, so that
   * writers racing on one stream spread out instead of colliding again; default `{ baseMs: 4, maxMs: 100 }`.
   * `{ baseMs: 0 }` retries at once.
   */
  readonly resyncBackoff?: { readonly baseMs: number; readonly maxMs?: number };
  /**
   * Run this process's transacts on one stream one at a time (default true): concurrent commands for the same
   * stream in one process would otherwise race each other and pay for conflicts. Writers in other processes are
   * still reconciled by the tip's etag.
   */
  readonly queueWrites?: boolean;
  /** default load option of transact/query/load; default RequireLoad */
  readonly load?: LoadOption;
  /** how many command ids the tip remembers whole (outcome and fingerprint) for idempotency; default 100 */
  readonly maxCommandIds?: number;
  /**
   * how many older command ids the tip still recognises by a 6-byte digest, so that a late retry throws
   * `CommandIdExpired` instead of being applied again; default 512 (4,096 base64 characters in the tip once full), 0 for none
   */
  readonly maxExpiredCommandIds?: number;
}

export interface Loaded<S> {
  readonly state: S;
  readonly version: bigint;
  /** the tip's etag; `undefined` for a stream that does not exist yet */
  readonly etag: string | undefined;
}

/** The streams of one category: commands in, state out. */
export interface Category<E extends AnyEvent, S> {
  readonly name: string;
  /** Loads `id`'s state, decides, appends (one request); on a conflict reloads and decides again. */
  transact(
    id: string,
    decide: (state: S, context: DecisionContext) => readonly E[],
    options?: TransactOptions,
  ): Promise<TransactOutcome>;
  /** As `transact`, for decisions that return a result alongside their events; resolves to the result. */
  transactResult<R>(
    id: string,
    decide: (state: S, context: DecisionContext) => readonly [result: R, events: readonly E[]],
    options?: TransactOptions,
  ): Promise<R>;
  /** Loads `id`'s state and renders it. */
  query<V>(id: string, render: (state: S) => V, options?: { readonly load?: LoadOption }): Promise<V>;
  load(id: string, options?: { readonly load?: LoadOption }): Promise<Loaded<S>>;
  /**
   * `id`'s state as it was after a version or at a time (audit, time travel): folded from the start or from the
   * nearest origin at or before that point; never cached. Reports the requests it took.
   */
  loadAsOf(id: string, asOf: AsOf): Promise<StateAsOf<S>>;
  /** The decoded events of `id` in a version range. */
  readEvents(id: string, range?: ReadRange): Promise<StoredEvent<E>[]>;
  /** The stream name of `id` (validated). */
  streamName(id: string): StreamName;
}

/**
 * A category over a store (the store calls this from its `category(options)`): parses the options, gives the store
 * the category's model, and puts the cache and the transact loop over what the store returns. `cache` is the store's
 * cache, shared by categories that do not bring their own.
 * @throws InvalidStoreOptions for an option out of range; InvalidStreamName for an invalid category name
 */
export function createCategory<E extends AnyEvent, S, L extends StreamVersion<S>>(
  options: CategoryOptions<E, S>,
  cache: LruCache<unknown>,
  storeOf: (model: CategoryModel<E, S>) => StreamStore<E, S, L>,
): Category<E, S> {
  const { name, codec, fold: model } = options;
  const settings = parseOptions(CategorySettings, options, `category ${JSON.stringify(name)}`, InvalidStoreOptions);
  const streamName = (id: string) => StreamName.create(name, id);
  streamName('0'); // fails fast on an invalid category name
  const strategy = options.access ?? { kind: 'Unoptimized' };
  const access = accessOf(strategy);
  const store = storeOf({
    name,
    codec,
    fold: model,
    access,
    strategy: strategy.kind,
    commandLimits: settings,
  });
  const streams = cachedStreams(
    store,
    options.cache === undefined
      ? scopedCache<L>(cache, model)
      : new LruCache<L>(options.cache === false ? 0 : options.cache.maxEntries),
  );
  const defaultLoad = options.load ?? LoadOption.RequireLoad;
  const run = transactor(streams, { fold: model, access }, { ...settings, defaultLoad });
  const load = async (id: string, option: LoadOption | undefined) =>
    (await streams.load(streamName(id), option ?? defaultLoad)).loaded;

  return {
    name,
    streamName,
    async transact(id, decide, options = {}) {
      const both = (state: S, context: DecisionContext) => [undefined, decide(state, context)] as const;
      return (await run(streamName(id), both, options)).outcome;
    },
    async transactResult(id, decide, options = {}) {
      return (await run(streamName(id), decide, options)).result;
    },
    async query(id, render, options = {}) {
      return render((await load(id, options.load)).state);
    },
    async load(id, options = {}) {
      const { state, version, etag } = await load(id, options.load);
      return { state, version, etag };
    },
    loadAsOf: (id, asOf) => store.loadAsOf(streamName(id), asOf),
    readEvents: (id, range = {}) => store.readEvents(streamName(id), range),
  };
}
