import type { AnyEvent } from '../codec/index.ts';
import { parseOptions, StreamName, type TimelineEvent } from '../core/index.ts';
import { prepareAppend } from '../store/append.ts';
import { type HistorySource, loadStateAsOfFrom } from '../store/as-of.ts';
import { LruCache } from '../store/cache.ts';
import { type Category, type CategoryOptions, createCategory } from '../store/category.ts';
import type { TipDocument } from '../store/documents.ts';
import type { ReadRange } from '../store/reading.ts';
import { InvalidStoreOptions, StoreSettings } from '../store/settings.ts';
import { eventsOf } from '../store/span.ts';
import { emptyStream, type Rebuild, rebuildFromTip, type StreamState } from '../store/stream-state.ts';
import type { CategoryModel, StoredEvent, StreamStore } from '../store/stream-store.ts';
import { unfoldDecoder } from '../store/unfolds.ts';

export interface MemoryStoreOptions {
  /** the per-process LRU cache of loaded states that categories share; default 10,000 streams */
  readonly cache?: { readonly maxEntries: number };
  /** checked before writing, as the Cosmos DB store does; default 2,000,000 bytes each */
  readonly limits?: { readonly maxEventBytes?: number; readonly maxRequestBytes?: number };
}

/** A stream as the memory store holds it. */
export interface MemoryStreamSummary {
  readonly stream: StreamName;
  readonly version: bigint;
}

/**
 * An event store in this process's memory with the Cosmos DB store's category API, for unit tests of code that
 * transacts, queries and loads: the same transact loop, cache, load options, access strategies (snapshots and other
 * unfolds), command ids and expected versions, and the same codec checks and size limits before a write. Each
 * stream's events are kept whole (nothing calves into batches), as JSON text, so a state never shares objects with
 * the store. Optimistic concurrency works as in Cosmos DB: every write changes the stream's etag, and a category
 * whose cached state is stale gets a conflict, reloads and decides again.
 */
export interface MemoryStore {
  /** A category of streams, as `CosmosStore.category`. */
  category<E extends AnyEvent, S>(options: CategoryOptions<E, S>): Category<E, S>;
  /** A stream's stored events (not decoded by a codec) in a version range, as `CosmosStore.readStream`. */
  readStream(stream: string, range?: ReadRange): Promise<TimelineEvent[]>;
  /** The streams of a category with their versions, by stream name. */
  listStreams(category: string): Promise<MemoryStreamSummary[]>;
}

interface Held {
  /** the stream's only document, as JSON: every event and the current unfolds */
  readonly tip: string;
  readonly etag: string;
}

const unbounded = { maxEvents: Number.MAX_SAFE_INTEGER, maxJsonLength: Number.MAX_SAFE_INTEGER };

/**
 * Creates an empty in-memory event store.
 * @throws InvalidStoreOptions for an option out of range
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const settings = parseOptions(StoreSettings, options, 'createMemoryStore', InvalidStoreOptions);
  const cache = new LruCache<unknown>(settings.cache.maxEntries);
  const streams = new Map<string, Held>();
  let writes = 0;
  const tipOf = (stream: string): TipDocument | undefined => {
    const held = streams.get(stream);
    return held === undefined ? undefined : (JSON.parse(held.tip) as TipDocument);
  };

  function memoryStreams<E extends AnyEvent, S>(model: CategoryModel<E, S>): StreamStore<E, S, StreamState<S>> {
    const { codec, fold: foldOf } = model;
    const appendSettings = {
      tipLimits: unbounded,
      writeLimits: settings.limits,
      compressUnfolds: false,
      ...model.commandLimits,
    };
    const rebuildFor = (stream: string): Rebuild<E, S> => ({
      fold: foldOf,
      isOrigin: model.access.isOrigin,
      decode: (event) => codec.decode(event, stream),
      decodeUnfold: unfoldDecoder(codec, stream, model.strategy),
      // the tip holds every event from version 0: there is nothing before it
      batchesBefore: async function* () {},
    });
    const history: (stream: string) => HistorySource = (stream) => ({
      tip: async () => tipOf(stream),
      before: async function* () {},
    });
    return {
      empty: () => emptyStream(foldOf.initial),
      async load(stream, known) {
        const held = streams.get(stream);
        if (held === undefined) return emptyStream(foldOf.initial);
        if (known !== undefined && known.etag === held.etag) return known;
        return rebuildFromTip(stream, JSON.parse(held.tip) as TipDocument, held.etag, rebuildFor(stream), known);
      },
      async sync(stream, current, append) {
        const { plan, version, commands } = prepareAppend(
          stream,
          current,
          append,
          codec,
          append.context,
          appendSettings,
        );
        if (streams.get(stream)?.etag !== current.etag) return { kind: 'conflict' };
        writes += 1;
        const etag = `"${writes}"`;
        streams.set(stream, { tip: JSON.stringify(plan.tip), etag });
        const tip = { i: plan.tip.i, n: plan.tip.n, e: plan.tip.e };
        return { kind: 'written', loaded: { state: append.state, version, etag, tip, commands } };
      },
      loadAsOf: (stream, asOf) =>
        loadStateAsOfFrom(history(stream), { codec, fold: foldOf, isOrigin: model.access.isOrigin }, stream, asOf),
      async readEvents(stream, range) {
        const decoded: StoredEvent<E>[] = [];
        for (const stored of readRange(tipOf(stream), range)) {
          const event = codec.decode(stored, stream);
          if (event !== undefined) decoded.push({ version: stored.index, event, timestamp: stored.timestamp });
        }
        return decoded;
      },
    };
  }

  return {
    category: (categoryOptions) => createCategory(categoryOptions, cache, memoryStreams),
    readStream: async (stream, range = {}) => readRange(tipOf(StreamName.parse(stream)), range),
    async listStreams(category) {
      const prefix = `${category}-`;
      return [...streams.keys()]
        .filter((stream) => stream.startsWith(prefix))
        .sort()
        .map((stream) => ({ stream: StreamName.parse(stream), version: BigInt(tipOf(stream)?.n ?? 0) }));
    },
  };
}

function readRange(tip: TipDocument | undefined, range: ReadRange): TimelineEvent[] {
  if (tip === undefined) return [];
  const from = range.fromVersion ?? 0n;
  const to = range.toVersion ?? BigInt(Number.MAX_SAFE_INTEGER);
  const events = eventsOf(tip).filter((event) => event.index >= from && event.index < to);
  return range.direction === 'backward' ? events.reverse() : events;
}
