import { setTimeout as delay } from 'node:timers/promises';
import type { Container } from '@azure/cosmos';
import type { AnyEvent, Codec } from '../codec/index.ts';
import { StreamName, type TimelineEvent } from '../core/index.ts';
import { type Fold, fold } from '../decider/index.ts';
import { type Access, type AccessStrategy, accessOf } from './access.ts';
import { prepareAppend, type WriteLimits } from './append.ts';
import { type AsOf, loadStateAsOf, type StateAsOf } from './as-of.ts';
import { LruCache, type StateCache, scopedCache } from './cache.ts';
import type { TipLimits } from './calving.ts';
import { CommandIdExpired, CommandIdReused, lookupCommand } from './commands.ts';
import { MaxResyncsExhausted, StaleExpectedVersion, WrongExpectedVersion } from './errors.ts';
import { LoadOption } from './load-option.ts';
import { type PrunedHistory, withPrunedHistory } from './pruned-history.ts';
import { type ReadRange, readStreamEvents } from './reading.ts';
import { appendToStream, batchesBackward, readTip } from './requests.ts';
import { CategorySettings, parseSettings } from './settings.ts';
import { emptyStream, type Rebuild, rebuildFromTip, type StreamState } from './stream-state.ts';
import { unfoldDecoder } from './unfolds.ts';

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

/** Where a category's documents live and how it writes them (set by the store). */
export interface CategoryContext {
  readonly container: Container;
  readonly tipLimits: TipLimits;
  readonly writeLimits: WriteLimits;
  readonly compressUnfolds: boolean;
  /** the store's cache, shared by categories that do not bring their own */
  readonly cache: LruCache<unknown>;
  /** where loads find events the pruner removed from the container (the archive); none by default */
  readonly prunedHistory?: PrunedHistory | undefined;
}

export interface TransactOptions {
  /** how fresh the state the decision starts from must be (a conflict always reloads) */
  readonly load?: LoadOption;
  /**
   * An id of the command (e.g. an HTTP request's idempotency key). If the stream already applied a command with
   * this id, nothing is decided or written and the original outcome is returned.
   */
  readonly commandId?: string;
  /**
   * The command's fingerprint (`commandFingerprint(type, body)`), kept with `commandId`: a command id already applied
   * with another fingerprint throws `CommandIdReused`, and nothing is decided or written.
   */
  readonly fingerprint?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** metadata stored with every appended event (`m`) */
  readonly meta?: Record<string, unknown>;
  /**
   * Apply the command only if the stream is at exactly this version (optimistic concurrency across requests, e.g.
   * an HTTP `If-Match`); otherwise throw `StaleExpectedVersion` without deciding again. A cached state that
   * disagrees is first checked with a (conditional) read, so a stale cache never causes a false refusal. A repeated
   * `commandId` is still answered with its original outcome.
   */
  readonly expectedVersion?: bigint;
}

export interface TransactOutcome {
  /** the stream's version after the command */
  readonly version: bigint;
  /** events appended by this call (0 when the decision was empty or the command id was a repeat) */
  readonly appended: number;
  /** true when `commandId` had already been applied and nothing was done */
  readonly duplicate: boolean;
}

export interface Loaded<S> {
  readonly state: S;
  readonly version: bigint;
  /** the tip's etag; `undefined` for a stream that does not exist yet */
  readonly etag: string | undefined;
}

export interface StoredEvent<E> {
  readonly version: bigint;
  readonly event: E;
  readonly timestamp: Date;
}

/** What a decision may know about the stream besides its state. */
export interface DecisionContext {
  readonly stream: StreamName;
  /** the version the state reflects (a resync decides again with the newer version) */
  readonly version: bigint;
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

export function createCategory<E extends AnyEvent, S>(
  options: CategoryOptions<E, S>,
  context: CategoryContext,
): Category<E, S> {
  const { name, codec, fold: model } = options;
  const access: Access<E, S> = accessOf(options.access ?? { kind: 'Unoptimized' });
  const {
    maxAttempts,
    maxCommandIds,
    maxExpiredCommandIds,
    resyncBackoff: backoff,
    queueWrites,
  } = parseSettings(CategorySettings, options, `category ${JSON.stringify(name)}`);
  const cache: StateCache<StreamState<S>> =
    options.cache === undefined
      ? scopedCache(context.cache, model)
      : new LruCache<StreamState<S>>(options.cache === false ? 0 : options.cache.maxEntries);
  const defaultLoad = options.load ?? LoadOption.RequireLoad;
  const settings = { ...context, maxCommandIds, maxExpiredCommandIds };
  const { container } = context;
  const writeQueues = new Map<string, Promise<unknown>>();

  /** Runs `write` after the previous queued write of `stream` in this category has settled. */
  function queued<T>(stream: string, write: () => Promise<T>): Promise<T> {
    if (!queueWrites) return write();
    const previous = writeQueues.get(stream) ?? Promise.resolve();
    const next = previous.then(write);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    writeQueues.set(stream, settled);
    void settled.then(() => {
      if (writeQueues.get(stream) === settled) writeQueues.delete(stream);
    });
    return next;
  }

  const streamName = (id: string) => StreamName.create(name, id);
  streamName('0'); // fails fast on an invalid category name
  const rebuildFor = (stream: string): Rebuild<E, S> => ({
    fold: model,
    isOrigin: access.isOrigin,
    decode: (event: TimelineEvent) => codec.decode(event, stream),
    decodeUnfold: unfoldDecoder(codec, stream, options.access?.kind),
    batchesBefore: (before) =>
      withPrunedHistory(batchesBackward(container, stream, before), stream, before, context.prunedHistory),
  });
  const remember = (stream: string, state: StreamState<S>) =>
    cache.set(stream, state, (held, offered) => held.version > offered.version);

  /** Reads the tip (conditionally when `known` has an etag) and rebuilds the state. */
  async function fetch(stream: string, known: StreamState<S> | undefined): Promise<StreamState<S>> {
    const read = await readTip(container, stream, known?.etag);
    if (read.status === 'notModified' && known !== undefined) {
      remember(stream, known);
      return known;
    }
    const loaded =
      read.status === 'found'
        ? await rebuildFromTip(stream, read.tip, read.etag, rebuildFor(stream), known)
        : emptyStream(model.initial);
    remember(stream, loaded);
    return loaded;
  }

  /** The state to start from; `read` tells whether it comes from a read of the tip rather than from memory. */
  async function loadState(stream: string, option: LoadOption): Promise<{ loaded: StreamState<S>; read: boolean }> {
    const cached = cache.get(stream);
    if (cached !== undefined) {
      if (option.kind === 'AnyCachedValue' || option.kind === 'AssumeEmpty')
        return { loaded: cached.value, read: false };
      if (option.kind === 'MaxStale' && Date.now() - cached.readAt <= option.ms) {
        return { loaded: cached.value, read: false };
      }
    } else if (option.kind === 'AssumeEmpty') {
      return { loaded: emptyStream(model.initial), read: false };
    }
    return { loaded: await cache.singleFlight(stream, () => fetch(stream, cached?.value)), read: true };
  }

  function run<R>(
    id: string,
    decide: (state: S, context: DecisionContext) => readonly [R, readonly E[]],
    options: TransactOptions,
  ): Promise<{ result: R; outcome: TransactOutcome }> {
    const stream = streamName(id);
    return queued(stream, () => attempt(stream, decide, options));
  }

  async function attempt<R>(
    stream: StreamName,
    decide: (state: S, context: DecisionContext) => readonly [R, readonly E[]],
    options: TransactOptions,
  ): Promise<{ result: R; outcome: TransactOutcome }> {
    const { expectedVersion } = options;
    const start = await loadState(stream, options.load ?? defaultLoad);
    let current = start.loaded;
    // A state from memory may be older than the client's: confirm a disagreement with a (conditional) read first.
    if (expectedVersion !== undefined && current.version !== expectedVersion && !start.read) {
      current = await fetch(stream, current);
    }
    for (let attempt = 1; ; attempt++) {
      const known =
        options.commandId === undefined
          ? undefined
          : lookupCommand(current.commands, options.commandId, options.fingerprint);
      if (known?.kind === 'repeat') {
        const { r, v } = known.record;
        return { result: r as R, outcome: { version: BigInt(v), appended: 0, duplicate: true } };
      }
      if (known?.kind === 'reused') {
        throw new CommandIdReused(stream, known.record.id, BigInt(known.record.v));
      }
      if (known?.kind === 'expired') throw new CommandIdExpired(stream, options.commandId as string);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new StaleExpectedVersion(stream, expectedVersion, current.version);
      }
      const [result, decided] = decide(current.state, { stream, version: current.version });
      if (decided.length === 0) return { result, outcome: { version: current.version, appended: 0, duplicate: false } };

      const stateAfter = fold(model.evolve, current.state, decided);
      const transmuted = access.transmute(decided, stateAfter);
      const { plan, version, commands } = prepareAppend(
        stream,
        current,
        { ...transmuted, result },
        codec,
        options,
        settings,
      );

      let etag: string;
      try {
        etag = await appendToStream(container, stream, plan, current.etag, current.version);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion)) throw error;
        if (expectedVersion === undefined) {
          if (attempt >= maxAttempts) throw new MaxResyncsExhausted(stream, attempt, current.version);
          const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
          if (ceiling > 0) await delay(Math.random() * ceiling);
        }
        // Resync: read the tip again (never joining a load that may predate the conflicting write). With an expected
        // version, the check at the top of the loop then refuses a stream that moved on instead of deciding again.
        const conflicted = current.version;
        current = await fetch(stream, { ...current, etag: undefined });
        if (expectedVersion !== undefined && current.version === expectedVersion && attempt >= maxAttempts) {
          throw new MaxResyncsExhausted(stream, attempt, conflicted);
        }
        continue;
      }
      cache.forgetInflight(stream);
      remember(stream, {
        state: stateAfter,
        version,
        etag,
        tip: { i: plan.tip.i, n: plan.tip.n, e: plan.tip.e },
        commands,
      });
      return { result, outcome: { version, appended: transmuted.events.length, duplicate: false } };
    }
  }

  return {
    name,
    streamName,
    async transact(id, decide, options = {}) {
      const { outcome } = await run(id, (state, context) => [undefined, decide(state, context)] as const, options);
      return outcome;
    },
    async transactResult(id, decide, options = {}) {
      const { result } = await run(id, decide, options);
      return result;
    },
    async query(id, render, options = {}) {
      const { loaded } = await loadState(streamName(id), options.load ?? defaultLoad);
      return render(loaded.state);
    },
    async load(id, options = {}) {
      const { loaded } = await loadState(streamName(id), options.load ?? defaultLoad);
      return { state: loaded.state, version: loaded.version, etag: loaded.etag };
    },
    loadAsOf: (id, asOf) =>
      loadStateAsOf(
        container,
        { codec, fold: model, isOrigin: access.isOrigin, prunedHistory: context.prunedHistory },
        streamName(id),
        asOf,
      ),
    async readEvents(id, range = {}) {
      const stream = streamName(id);
      const events = await readStreamEvents(container, stream, range);
      const decoded: StoredEvent<E>[] = [];
      for (const stored of events) {
        const event = codec.decode(stored, stream);
        if (event !== undefined) decoded.push({ version: stored.index, event, timestamp: stored.timestamp });
      }
      return decoded;
    },
  };
}
