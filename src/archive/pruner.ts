import { BulkOperationType, type Container, type OperationInput } from '@azure/cosmos';
import type { TimelineEvent } from '../core/index.ts';
import { type BatchDocument, eventsOf, tipId } from '../store/index.ts';
import type { ArchiveBlobs } from './archive-blobs.ts';
import { SegmentCache, streamEventsIn } from './archive-reader.ts';
import { type Coverage, covers } from './coverage.ts';
import { InvalidArchiveOptions, PruneDeleteFailed, TornArchiveBlob } from './errors.ts';
import { categoryManifests } from './manifest.ts';
import { readPrunedIndex, writePrunedIndex } from './pruned-index.ts';

/** Which calved batches may leave the container once the archive holds them (either rule suffices). */
export interface PrunePolicy {
  /** batches written (their `_ts`) longer ago than this */
  readonly olderThanMs?: number;
  /** every batch of a stream whose last event says the stream is done (e.g. `Closed`) */
  readonly isTerminal?: (lastEvent: TimelineEvent) => boolean;
}

export interface PruneOptions {
  /** the events container */
  readonly events: Container;
  readonly blobs: ArchiveBlobs;
  readonly category: string;
  readonly policy: PrunePolicy;
  readonly now?: () => Date;
}

/** What a pruner run did. */
export interface PruneReport {
  readonly streams: number;
  readonly batchesDeleted: number;
  readonly eventsPruned: number;
  /** streams whose batches were kept although the policy allowed pruning, and why */
  readonly kept: ReadonlyArray<{ readonly stream: string; readonly reason: string }>;
}

interface BatchHead {
  readonly id: string;
  readonly i: number;
  readonly n: number;
  readonly _ts: number;
  readonly _etag: string;
}

/** Every calved batch of the category (never a tip), grouped by stream, oldest first: one cross-partition query. */
async function batchesOf(events: Container, category: string): Promise<Map<string, BatchHead[]>> {
  const query = events.items.query<BatchHead & { p: string }>({
    query: 'SELECT c.id, c.p, c.i, c.n, c._ts, c._etag FROM c WHERE c.id != @tip AND STARTSWITH(c.p, @prefix)',
    parameters: [
      { name: '@tip', value: tipId },
      { name: '@prefix', value: `${category}-` },
    ],
  });
  const byStream = new Map<string, BatchHead[]>();
  while (query.hasMoreResults()) {
    for (const batch of (await query.fetchNext()).resources ?? []) {
      const list = byStream.get(batch.p) ?? [];
      list.push(batch);
      byStream.set(batch.p, list);
    }
  }
  for (const list of byStream.values()) list.sort((a, b) => a.i - b.i);
  return byStream;
}

async function lastEventOf(events: Container, stream: string, newestBatch: BatchHead | undefined) {
  const { resource: tip } = await events.item(tipId, stream).read<BatchDocument>();
  const fromTip = tip === undefined ? [] : eventsOf(tip);
  if (fromTip.length > 0) return fromTip.at(-1);
  if (newestBatch === undefined) return undefined;
  const { resource: batch } = await events.item(newestBatch.id, stream).read<BatchDocument>();
  return batch === undefined ? undefined : eventsOf(batch).at(-1);
}

/**
 * Deletes batches of one stream with transactional batches of up to 100 deletes (one request each instead of one per
 * document), oldest first, each guarded by the etag the pruner checked.
 */
async function deleteBatches(events: Container, stream: string, batches: readonly BatchHead[]): Promise<void> {
  for (let from = 0; from < batches.length; from += 100) {
    const operations: OperationInput[] = batches.slice(from, from + 100).map((batch) => ({
      operationType: BulkOperationType.Delete,
      id: batch.id,
      ifMatch: batch._etag,
    }));
    const response = await events.items.batch(operations, stream).catch((error: unknown) => {
      const status = (error as { code?: unknown } | null)?.code;
      throw new PruneDeleteFailed(stream, operations.length, typeof status === 'number' ? status : 0, { cause: error });
    });
    const failed = (response.result ?? []).find((result) => result.statusCode >= 400);
    if (failed !== undefined || (response.result ?? []).length !== operations.length) {
      throw new PruneDeleteFailed(stream, operations.length, failed?.statusCode ?? response.code ?? 0);
    }
  }
}

/** Why the archive's copy of a batch cannot stand in for it, or undefined when every event matches. */
async function archiveProblem(
  events: Container,
  stream: string,
  batches: readonly BatchHead[],
  archived: Map<number, { c: string; t: string; d: unknown }>,
): Promise<string | undefined> {
  const upTo = (batches.at(-1) as BatchHead).n;
  const { resources } = await events.items
    .query<BatchDocument>(
      {
        query: 'SELECT * FROM c WHERE c.id != @tip AND c.i < @upTo',
        parameters: [
          { name: '@tip', value: tipId },
          { name: '@upTo', value: upTo },
        ],
      },
      { partitionKey: stream },
    )
    .fetchAll();
  for (const head of batches) {
    const resource = resources.find((document) => document.id === head.id);
    if (resource === undefined) return `batch ${head.id} disappeared while pruning`;
    for (const event of eventsOf(resource)) {
      const copy = archived.get(Number(event.index));
      if (copy === undefined) return `version ${event.index} is not in the archive`;
      if (copy.c !== event.type || new Date(copy.t).getTime() !== event.timestamp.getTime()) {
        return `version ${event.index} differs in the archive`;
      }
      if (JSON.stringify(copy.d) !== JSON.stringify(event.data)) return `version ${event.index} differs in the archive`;
    }
  }
  return undefined;
}

/**
 * Removes calved batches of a category's streams from the container, oldest first, once the archive holds every
 * event in them (its index says so, and the segments read back intact and match the batch event by event) and the
 * policy allows it. Never the tip; a stream keeps a contiguous run of its newest batches, so a load that walks back
 * past the container's oldest batch continues from the archive (`archivePrunedHistory`), whose `pruned/` index is
 * written before anything is deleted. If the blob store fails, the run stops with `ArchiveUnavailable` before the
 * stream it was working on loses anything.
 */
export async function pruneCategory(options: PruneOptions): Promise<PruneReport> {
  const { events, blobs, category, policy } = options;
  if (policy.olderThanMs === undefined && policy.isTerminal === undefined) {
    throw new InvalidArchiveOptions('pruneCategory', 'the policy needs olderThanMs, isTerminal or both');
  }
  if (policy.olderThanMs !== undefined && !(policy.olderThanMs >= 0)) {
    throw new InvalidArchiveOptions('pruneCategory', `olderThanMs must be ≥ 0, got ${policy.olderThanMs}`);
  }
  const now = (options.now ?? (() => new Date()))().getTime();
  const coverage: Coverage = new Map();
  const kept: Array<{ stream: string; reason: string }> = [];
  for await (const manifest of categoryManifests(blobs, category, (error) =>
    kept.push({ stream: '*', reason: error.message }),
  )) {
    for (const [stream, ranges] of Object.entries(manifest.streams)) {
      const entry = coverage.get(stream) ?? { ranges: [], segments: new Set<string>() };
      entry.ranges.push(...ranges);
      entry.segments.add(manifest.segment);
      coverage.set(stream, entry);
    }
  }
  const cache = new SegmentCache(blobs);
  let batchesDeleted = 0;
  let eventsPruned = 0;
  const all = await batchesOf(events, category);
  for (const [stream, batches] of [...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const archived = coverage.get(stream);
    const terminal =
      policy.isTerminal !== undefined &&
      (await lastEventOf(events, stream, batches.at(-1)).then(
        (last) => last !== undefined && policy.isTerminal?.(last),
      ));
    const old = (batch: BatchHead) => policy.olderThanMs !== undefined && batch._ts * 1000 <= now - policy.olderThanMs;
    const prefix: BatchHead[] = [];
    for (const batch of batches) {
      if (!(terminal || old(batch))) break;
      if (archived === undefined || !covers(archived.ranges, batch.i, batch.n)) {
        kept.push({ stream, reason: `versions ${batch.i}–${batch.n - 1} are not archived yet` });
        break;
      }
      prefix.push(batch);
    }
    if (prefix.length === 0 || archived === undefined) continue;
    try {
      const copies = await streamEventsIn(cache, archived.segments, stream);
      const problem = await archiveProblem(events, stream, prefix, copies);
      if (problem !== undefined) {
        kept.push({ stream, reason: problem });
        continue;
      }
      const prunedBelow = (prefix.at(-1) as BatchHead).n;
      const previous = await readPrunedIndex(blobs, category, stream);
      await writePrunedIndex(blobs, category, {
        format: 'tributary-archive-v1',
        stream,
        prunedBelow: Math.max(prunedBelow, previous?.prunedBelow ?? 0),
        segments: [...new Set([...(previous?.segments ?? []), ...archived.segments])].sort(),
        prunedAt: new Date(now).toISOString(),
      });
    } catch (error) {
      if (error instanceof TornArchiveBlob) {
        kept.push({ stream, reason: error.message });
        continue;
      }
      throw error;
    }
    await deleteBatches(events, stream, prefix);
    batchesDeleted += prefix.length;
    for (const batch of prefix) eventsPruned += batch.n - batch.i;
  }
  return { streams: all.size, batchesDeleted, eventsPruned, kept };
}
