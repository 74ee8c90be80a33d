import type { Container, CosmosClient } from '@azure/cosmos';
import type { AnyEvent } from '../codec/index.ts';
import { parseOptions, StreamName, type TimelineEvent } from '../core/index.ts';
import type { WriteLimits } from './append.ts';
import { LruCache } from './cache.ts';
import type { TipLimits } from './calving.ts';
import { type Category, type CategoryOptions, createCategory } from './category.ts';
import { cosmosStreams } from './cosmos-streams.ts';
import type { BatchDocument, TipDocument } from './documents.ts';
import { isTip } from './documents.ts';
import type { PrunedHistory } from './pruned-history.ts';
import { type Paging, pageSizeOf, type ReadRange, readStreamEvents, streamEvents } from './reading.ts';
import { documentsInRange, tipsWithPrefix } from './requests.ts';
import { InvalidStoreOptions, StoreSettings } from './settings.ts';
import { eventsOf, timelineUnfold } from './span.ts';

export interface CosmosStoreOptions {
  readonly client: CosmosClient;
  readonly databaseId: string;
  /** default `events` */
  readonly containerId?: string;
  /** when the tip calves its events into a batch; default 128 events or 30,000 JSON characters */
  readonly tip?: Partial<TipLimits>;
  /** checked before writing; defaults follow Cosmos DB's 2 MB document and batch limits */
  readonly limits?: Partial<WriteLimits>;
  /** deflate + base64 unfold bodies (`D: 1`) when that makes them smaller; default true */
  readonly compressUnfolds?: boolean;
  /** the per-process LRU cache of loaded states that categories share; default 10,000 streams */
  readonly cache?: { readonly maxEntries: number };
  /**
   * where a load finds events that the pruner removed from the container: the archive
   * (`archivePrunedHistory(blobs)` from the archive module); without it such a load fails with `MissingEvents`
   */
  readonly prunedHistory?: PrunedHistory;
}

export interface StreamSummary {
  readonly stream: StreamName;
  readonly version: bigint;
}

/** Everything stored for one stream, for inspection and support. */
export interface StreamDump {
  readonly stream: StreamName;
  readonly version: bigint;
  readonly tip: TipDocument | undefined;
  readonly batches: readonly BatchDocument[];
  readonly events: readonly TimelineEvent[];
  readonly unfolds: readonly TimelineEvent[];
}

export interface CosmosStore {
  readonly container: Container;
  /** A category of streams with its codec, fold and access strategy. */
  category<E extends AnyEvent, S>(options: CategoryOptions<E, S>): Category<E, S>;
  /**
   * A stream's stored events (not decoded by a codec) in a version range, forward or backward, collected from a
   * query read `range.pageSize` documents per request.
   */
  readStream(stream: string, range?: ReadRange): Promise<TimelineEvent[]>;
  /** As `readStream`, one event at a time, requesting the next page only when the caller gets there. */
  streamEvents(stream: string, range?: ReadRange): AsyncIterable<TimelineEvent>;
  /** The streams of a category with their versions (a cross-partition query over tips, paged), by stream name. */
  listStreams(category: string, paging?: Paging): Promise<StreamSummary[]>;
  /** The tip, batches, events and unfolds of a stream (every document is held: for inspection, not for export). */
  dumpStream(stream: string, paging?: Paging): Promise<StreamDump>;
}

/** The event store over one Cosmos DB container (create it with `ensureContainers`). */
export function createCosmosStore(options: CosmosStoreOptions): CosmosStore {
  const settings = parseOptions(
    StoreSettings,
    options,
    `the store over database ${options.databaseId}`,
    InvalidStoreOptions,
  );
  const container = options.client.database(options.databaseId).container(settings.containerId);
  const context = {
    container,
    tipLimits: settings.tip,
    writeLimits: settings.limits,
    compressUnfolds: settings.compressUnfolds,
    prunedHistory: options.prunedHistory,
  };
  const cache = new LruCache<unknown>(settings.cache.maxEntries);
  return {
    container,
    category: (categoryOptions) => createCategory(categoryOptions, cache, (model) => cosmosStreams(model, context)),
    readStream: (stream, range = {}) => readStreamEvents(container, StreamName.parse(stream), range),
    streamEvents: (stream, range = {}) => streamEvents(container, StreamName.parse(stream), range),
    async listStreams(category, paging = {}) {
      const pageSize = pageSizeOf(paging, `listing category ${category}`);
      const streams: StreamSummary[] = [];
      for await (const tip of tipsWithPrefix(container, `${category}-`, pageSize)) {
        streams.push({ stream: StreamName.parse(tip.p), version: BigInt(tip.n) });
      }
      return streams.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
    },
    async dumpStream(stream, paging = {}) {
      const name = StreamName.parse(stream);
      const range = { from: -1, to: Number.MAX_SAFE_INTEGER, direction: 'forward' } as const;
      const documents: BatchDocument[] = [];
      for await (const document of documentsInRange(container, name, range, pageSizeOf(paging, `dumping ${name}`))) {
        documents.push(document);
      }
      const tip = documents.find(isTip);
      const batches = documents.filter((document) => !isTip(document));
      return {
        stream: name,
        version: BigInt(tip?.n ?? batches.at(-1)?.n ?? 0),
        tip,
        batches,
        events: documents.flatMap(eventsOf),
        unfolds: (tip?.u ?? []).map((unfold) => timelineUnfold(unfold, tip)),
      };
    },
  };
}
