import type { Container } from '@azure/cosmos';
import { type AnyEvent, type Codec, encodeBody } from '../codec/index.ts';
import { StreamName, type TimelineEvent } from '../core/index.ts';
import { type Fold, fold } from '../decider/index.ts';
import { type Access, type AccessStrategy, accessOf } from './access.ts';
import { LruCache } from './cache.ts';
import { planAppend, type TipLimits } from './calving.ts';
import { type CommandRecord, commandsUnfoldData, commandsUnfoldType, rememberCommand } from './commands.ts';
import type { EventDocument, UnfoldDocument } from './documents.ts';
import { AppendTooLarge, EventTooLarge, MaxResyncsExhausted, WrongExpectedVersion } from './errors.ts';
import { LoadOption } from './load-option.ts';
import { appendToStream, batchesBackward, documentsInRange, readTip } from './requests.ts';
import { eventsOf } from './span.ts';
import { emptyStream, type Rebuild, rebuildFromTip, type StreamState } from './stream-state.ts';

/** Size limits of Cosmos DB that an append is checked against before anything is sent. */
export interface WriteLimits {
  /** the largest JSON an event may have (a Cosmos DB document is at most 2 MB, envelope included) */
  readonly maxEventBytes: number;
  /** the largest transactional batch request (Cosmos DB: 2 MB) */
  readonly maxRequestBytes: number;
}

export const defaultWriteLimits: WriteLimits = { maxEventBytes: 2_000_000, maxRequestBytes: 2_000_000 };

export interface CategoryOptions<E extends AnyEvent, S> {
  /** the category: stream names are `${name}-${id}` */
  readonly name: string;
  readonly codec: Codec<E>;
  /** `initial` and `evolve` (a `Decider` fits) */
  readonly fold: Fold<E, S>;
  /** how state is kept cheap to load; default Unoptimized */
  readonly access?: AccessStrategy<E, S>;
  /** the per-process state cache; default `{ maxEntries: 10_000 }`; `false` disables it */
  readonly cache?: false | { readonly maxEntries?: number };
  /** attempts of a transact (first try included) before `MaxResyncsExhausted`; default 3 */
  readonly maxAttempts?: number;
  /** default load option of transact/query/load; default RequireLoad */
  readonly load?: LoadOption;
  /** how many command ids the tip remembers for idempotency; default 100 */
  readonly maxCommandIds?: number;
}

/** Where a category's documents live and how it writes them (set by the store). */
export interface CategoryContext {
  readonly container: Container;
  readonly tipLimits: TipLimits;
  readonly writeLimits: WriteLimits;
  readonly compressUnfolds: boolean;
}

export interface TransactOptions {
  /** how fresh the state the decision starts from must be (a conflict always reloads) */
  readonly load?: LoadOption;
  /**
   * An id of the command (e.g. an HTTP request's idempotency key). If the stream already applied a command with
   * this id, nothing is decided or written and the original outcome is returned.
   */
  readonly commandId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** metadata stored with every appended event (`m`) */
  readonly meta?: Record<string, unknown>;
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

export interface ReadRange {
  /** first version to read (inclusive); default 0 */
  readonly fromVersion?: bigint;
  /** last version to read (exclusive); default: the end */
  readonly toVersion?: bigint;
  /** default forward (oldest first) */
  readonly direction?: 'forward' | 'backward';
}

/** The streams of one category: commands in, state out. */
export interface Category<E extends AnyEvent, S> {
  readonly name: string;
  /** Loads `id`'s state, decides, appends (one request); on a conflict reloads and decides again. */
  transact(id: string, decide: (state: S) => readonly E[], options?: TransactOptions): Promise<TransactOutcome>;
  /** As `transact`, for decisions that return a result alongside their events; resolves to the result. */
  transactResult<R>(
    id: string,
    decide: (state: S) => readonly [result: R, events: readonly E[]],
    options?: TransactOptions,
  ): Promise<R>;
  /** Loads `id`'s state and renders it. */
  query<V>(id: string, render: (state: S) => V, options?: { readonly load?: LoadOption }): Promise<V>;
  load(id: string, options?: { readonly load?: LoadOption }): Promise<Loaded<S>>;
  /** The decoded events of `id` in a version range. */
  readEvents(id: string, range?: ReadRange): Promise<StoredEvent<E>[]>;
  /** The stream name of `id` (validated). */
  streamName(id: string): StreamName;
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

export function createCategory<E extends AnyEvent, S>(
  options: CategoryOptions<E, S>,
  context: CategoryContext,
): Category<E, S> {
  const { name, codec, fold: model } = options;
  const access: Access<E, S> = accessOf(options.access ?? { kind: 'Unoptimized' });
  const cache = new LruCache<StreamState<S>>(options.cache === false ? 0 : (options.cache?.maxEntries ?? 10_000));
  const maxAttempts = options.maxAttempts ?? 3;
  const defaultLoad = options.load ?? LoadOption.RequireLoad;
  const maxCommandIds = options.maxCommandIds ?? 100;
  const { container } = context;

  const streamName = (id: string) => StreamName.create(name, id);
  const rebuildFor = (stream: string): Rebuild<E, S> => ({
    fold: model,
    isOrigin: access.isOrigin,
    decode: (event: TimelineEvent) => codec.decode(event, stream),
    batchesBefore: (before) => batchesBackward(container, stream, before),
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

  async function loadState(stream: string, option: LoadOption): Promise<StreamState<S>> {
    const cached = cache.get(stream);
    if (cached !== undefined) {
      if (option.kind === 'AnyCachedValue' || option.kind === 'AssumeEmpty') return cached.value;
      if (option.kind === 'MaxStale' && Date.now() - cached.readAt <= option.ms) return cached.value;
    } else if (option.kind === 'AssumeEmpty') {
      return emptyStream(model.initial);
    }
    return cache.singleFlight(stream, () => fetch(stream, cached?.value));
  }

  function encodeUnfold(type: string, data: unknown, version: number, at: string): UnfoldDocument {
    const body = encodeBody(data, context.compressUnfolds);
    return { i: version, t: at, c: type, d: body.value, ...(body.encoding === 0 ? {} : { D: body.encoding }) };
  }

  async function run<R>(
    id: string,
    decide: (state: S) => readonly [R, readonly E[]],
    options: TransactOptions,
  ): Promise<{ result: R; outcome: TransactOutcome }> {
    const stream = streamName(id);
    let current = await loadState(stream, options.load ?? defaultLoad);
    for (let attempt = 1; ; attempt++) {
      const repeat =
        options.commandId === undefined ? undefined : current.commands.find((c) => c.id === options.commandId);
      if (repeat !== undefined) {
        return { result: repeat.r as R, outcome: { version: BigInt(repeat.v), appended: 0, duplicate: true } };
      }
      const [result, decided] = decide(current.state);
      if (decided.length === 0) return { result, outcome: { version: current.version, appended: 0, duplicate: false } };

      const stateAfter = fold(model.evolve, current.state, decided);
      const { events, unfolds } = access.transmute(decided, stateAfter);
      const at = new Date().toISOString();
      const eventDocuments = events.map((event, offset) => {
        const version = current.version + BigInt(offset);
        const encoded = codec.encode(event, { stream, version });
        const document: EventDocument = {
          t: at,
          c: encoded.type,
          d: encoded.data,
          ...(options.meta === undefined ? {} : { m: options.meta }),
          ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
          ...(options.causationId === undefined ? {} : { causationId: options.causationId }),
        };
        const bytes = jsonBytes(document);
        if (bytes > context.writeLimits.maxEventBytes) {
          throw new EventTooLarge(stream, version, encoded.type, bytes, context.writeLimits.maxEventBytes);
        }
        return document;
      });
      const nextVersion = current.version + BigInt(events.length);
      const commands: readonly CommandRecord[] =
        options.commandId === undefined
          ? current.commands
          : rememberCommand(
              current.commands,
              { id: options.commandId, v: Number(nextVersion), ...(result === undefined ? {} : { r: result }) },
              maxCommandIds,
            );
      const unfoldDocuments = unfolds.map((unfold) => {
        const encoded = codec.encode(unfold, { stream, version: nextVersion });
        return encodeUnfold(encoded.type, encoded.data, Number(nextVersion), at);
      });
      if (commands.length > 0) {
        unfoldDocuments.push(encodeUnfold(commandsUnfoldType, commandsUnfoldData(commands), Number(nextVersion), at));
      }
      const plan = planAppend(stream, current.tip, eventDocuments, unfoldDocuments, context.tipLimits);
      const requestBytes = jsonBytes(plan.tip) + (plan.calved ? jsonBytes(plan.calved) : 0);
      if (requestBytes > context.writeLimits.maxRequestBytes) {
        throw new AppendTooLarge(
          stream,
          current.version,
          events.length,
          requestBytes,
          context.writeLimits.maxRequestBytes,
        );
      }

      let etag: string;
      try {
        etag = await appendToStream(container, stream, plan, current.etag, current.version);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion)) throw error;
        if (attempt >= maxAttempts) throw new MaxResyncsExhausted(stream, attempt, current.version);
        // Resync: read the tip again (never joining a load that may predate the conflicting write).
        current = await fetch(stream, { ...current, etag: undefined });
        continue;
      }
      cache.forgetInflight(stream);
      remember(stream, {
        state: stateAfter,
        version: nextVersion,
        etag,
        tip: { i: plan.tip.i, n: plan.tip.n, e: plan.tip.e },
        commands,
      });
      return { result, outcome: { version: nextVersion, appended: events.length, duplicate: false } };
    }
  }

  return {
    name,
    streamName,
    async transact(id, decide, options = {}) {
      const { outcome } = await run(id, (state) => [undefined, decide(state)] as const, options);
      return outcome;
    },
    async transactResult(id, decide, options = {}) {
      const { result } = await run(id, decide, options);
      return result;
    },
    async query(id, render, options = {}) {
      const loaded = await loadState(streamName(id), options.load ?? defaultLoad);
      return render(loaded.state);
    },
    async load(id, options = {}) {
      const loaded = await loadState(streamName(id), options.load ?? defaultLoad);
      return { state: loaded.state, version: loaded.version, etag: loaded.etag };
    },
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

/** A stream's stored events in a version range (one partition-scoped query; bodies decompressed). */
export async function readStreamEvents(
  container: Container,
  stream: string,
  range: ReadRange,
): Promise<TimelineEvent[]> {
  const from = range.fromVersion ?? 0n;
  const to = range.toVersion ?? BigInt(Number.MAX_SAFE_INTEGER);
  const direction = range.direction ?? 'forward';
  const documents = await documentsInRange(container, stream, Number(from), Number(to), direction);
  const events = documents.flatMap((document) => {
    const inRange = eventsOf(document).filter((event) => event.index >= from && event.index < to);
    return direction === 'forward' ? inRange : inRange.reverse();
  });
  return events;
}
