import type { Container } from '@azure/cosmos';
import type { AnyEvent } from '../codec/index.ts';
import type { TimelineEvent } from '../core/index.ts';
import { prepareAppend, type WriteLimits } from './append.ts';
import { loadStateAsOf } from './as-of.ts';
import type { TipLimits } from './calving.ts';
import { WrongExpectedVersion } from './errors.ts';
import { type PrunedHistory, withPrunedHistory } from './pruned-history.ts';
import { readStreamEvents } from './reading.ts';
import { appendToStream, batchesBackward, readTip } from './requests.ts';
import { emptyStream, type Rebuild, rebuildFromTip, type StreamState } from './stream-state.ts';
import type { CategoryModel, StoredEvent, StreamStore } from './stream-store.ts';
import { unfoldDecoder } from './unfolds.ts';

/** Where a category's documents live and how they are written (set by the store). */
export interface CosmosStreamsContext {
  readonly container: Container;
  readonly tipLimits: TipLimits;
  readonly writeLimits: WriteLimits;
  readonly compressUnfolds: boolean;
  /** where loads find events the pruner removed from the container (the archive); none by default */
  readonly prunedHistory?: PrunedHistory | undefined;
}

/**
 * A category's streams in Cosmos DB: a load is a point read of the tip (conditional on a known etag, so an unchanged
 * stream costs one 304), then batches backwards until an origin when the tip holds none; a sync is one transactional
 * batch that replaces the tip under `If-Match` (creates it when new) and calves full tips into batches.
 */
export function cosmosStreams<E extends AnyEvent, S>(
  model: CategoryModel<E, S>,
  context: CosmosStreamsContext,
): StreamStore<E, S, StreamState<S>> {
  const { codec, fold: foldOf } = model;
  const { container, prunedHistory } = context;
  const settings = { ...context, ...model.commandLimits };
  const rebuildFor = (stream: string): Rebuild<E, S> => ({
    fold: foldOf,
    isOrigin: model.access.isOrigin,
    decode: (event: TimelineEvent) => codec.decode(event, stream),
    decodeUnfold: unfoldDecoder(codec, stream, model.strategy),
    batchesBefore: (before) =>
      withPrunedHistory(batchesBackward(container, stream, before), stream, before, prunedHistory),
  });

  return {
    empty: () => emptyStream(foldOf.initial),
    async load(stream, known) {
      const read = await readTip(container, stream, known?.etag);
      if (read.status === 'notModified' && known !== undefined) return known;
      return read.status === 'found'
        ? rebuildFromTip(stream, read.tip, read.etag, rebuildFor(stream), known)
        : emptyStream(foldOf.initial);
    },
    async sync(stream, current, append) {
      const { plan, version, commands } = prepareAppend(stream, current, append, codec, append.context, settings);
      let etag: string;
      try {
        etag = await appendToStream(container, stream, plan, current.etag, current.version);
      } catch (error) {
        if (error instanceof WrongExpectedVersion) return { kind: 'conflict' };
        throw error;
      }
      const tip = { i: plan.tip.i, n: plan.tip.n, e: plan.tip.e };
      return { kind: 'written', loaded: { state: append.state, version, etag, tip, commands } };
    },
    loadAsOf: (stream, asOf) =>
      loadStateAsOf(container, { codec, fold: foldOf, isOrigin: model.access.isOrigin, prunedHistory }, stream, asOf),
    async readEvents(stream, range) {
      const decoded: StoredEvent<E>[] = [];
      for (const stored of await readStreamEvents(container, stream, range)) {
        const event = codec.decode(stored, stream);
        if (event !== undefined) decoded.push({ version: stored.index, event, timestamp: stored.timestamp });
      }
      return decoded;
    },
  };
}
