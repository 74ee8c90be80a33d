import { StreamName, type TimelineEvent } from '../core/index.ts';
import type { BatchDocument, EventDocument } from '../store/documents.ts';
import type { PrunedHistory } from '../store/pruned-history.ts';
import type { ArchiveBlobs } from './archive-blobs.ts';
import { ArchivedHistoryMissing, TornArchiveBlob } from './errors.ts';
import { ArchiveLayout } from './layout.ts';
import { categoryManifests } from './manifest.ts';
import { readPrunedIndex } from './pruned-index.ts';
import { type ArchivedEvent, decodeSegment } from './segment.ts';

const categoryOf = (stream: string) => {
  const name = StreamName.tryParse(stream);
  return name === undefined ? '_' : StreamName.category(name);
};

/**
 * Keeps the segments a pruner run or a load has read, up to `maxSegments` (the least recently used go first), so
 * that streams sharing segments do not read them again and a run over a large archive holds a bounded part of it.
 */
export class SegmentCache {
  private readonly segments = new Map<string, Promise<ArchivedEvent[]>>();
  constructor(
    private readonly blobs: ArchiveBlobs,
    private readonly maxSegments = 64,
  ) {}

  /** A segment's events, verified; `TornArchiveBlob` if it is missing or does not match its checksum. */
  events(name: string): Promise<ArchivedEvent[]> {
    let found = this.segments.get(name);
    if (found !== undefined) {
      this.segments.delete(name);
      this.segments.set(name, found);
    } else {
      const oldest = this.segments.keys().next();
      if (this.segments.size >= this.maxSegments && !oldest.done) this.segments.delete(oldest.value);
      found = this.blobs.get(name).then((blob) => {
        if (blob === undefined) throw new TornArchiveBlob(name, 'it is listed in the index but not there');
        return decodeSegment(name, blob);
      });
      found.catch(() => this.segments.delete(name));
      this.segments.set(name, found);
    }
    return found;
  }
}

/** One stream's archived events from the given segments, by version, each once (a re-archived span repeats some). */
export async function streamEventsIn(
  cache: SegmentCache,
  segments: Iterable<string>,
  stream: string,
): Promise<Map<number, ArchivedEvent>> {
  const events = new Map<number, ArchivedEvent>();
  for (const segment of segments) {
    for (const event of await cache.events(segment))
      if (event.p === stream && !events.has(event.i)) events.set(event.i, event);
  }
  return events;
}

/** The segments whose manifests list `stream` (a scan of its category's index). */
export async function segmentsHolding(blobs: ArchiveBlobs, stream: string): Promise<string[]> {
  const segments: string[] = [];
  for await (const manifest of categoryManifests(blobs, categoryOf(stream), () => undefined)) {
    if (manifest.streams[stream] !== undefined) segments.push(manifest.segment);
  }
  return segments;
}

export function timelineEventOf(event: ArchivedEvent): TimelineEvent {
  return timelineEventAt(event, new Date(event.t));
}

/** As `timelineEventOf`, with the event's time already parsed (shared by events written together: never mutated). */
export function timelineEventAt(event: ArchivedEvent, timestamp: Date): TimelineEvent {
  return {
    index: BigInt(event.i),
    type: event.c,
    data: event.d,
    meta: event.m,
    timestamp,
    correlationId: event.correlationId,
    causationId: event.causationId,
  };
}

export function eventDocumentOf(event: ArchivedEvent): EventDocument {
  return {
    t: event.t,
    c: event.c,
    d: event.d,
    ...(event.m === undefined ? {} : { m: event.m }),
    ...(event.correlationId === undefined ? {} : { correlationId: event.correlationId }),
    ...(event.causationId === undefined ? {} : { causationId: event.causationId }),
  };
}

/**
 * Every archived event of one stream, in version order, each once. Reads the segments its category's index lists for
 * it (one listing, one read per manifest, one per segment holding the stream): for support and export, not for loads.
 */
export async function readArchivedStream(blobs: ArchiveBlobs, stream: string): Promise<TimelineEvent[]> {
  const events = await streamEventsIn(new SegmentCache(blobs), await segmentsHolding(blobs, stream), stream);
  return [...events.values()].sort((a, b) => a.i - b.i).map(timelineEventOf);
}

/**
 * The store's hook for pruned streams (`createCosmosStore({ prunedHistory: archivePrunedHistory(blobs) })`): reads
 * the stream's `pruned/` index (one read) and the segments it lists, and hands the events below the container's
 * oldest batch to the load as one batch. Fails with `ArchivedHistoryMissing` when the archive lacks any of them.
 */
export function archivePrunedHistory(blobs: ArchiveBlobs): PrunedHistory {
  return {
    async *batchesBefore(stream: string, before: number): AsyncGenerator<BatchDocument> {
      const index = await readPrunedIndex(blobs, categoryOf(stream), stream);
      if (index === undefined) {
        throw new ArchivedHistoryMissing(
          stream,
          before,
          `no ${ArchiveLayout.pruned(categoryOf(stream), stream)} exists`,
        );
      }
      const events = await streamEventsIn(new SegmentCache(blobs), index.segments, stream);
      const e: EventDocument[] = [];
      for (let version = 0; version < before; version++) {
        const event = events.get(version);
        if (event === undefined) {
          throw new ArchivedHistoryMissing(stream, before, `the segments it lists lack version ${version}`);
        }
        e.push(eventDocumentOf(event));
      }
      yield { id: `archive:${stream}:0`, p: stream, i: 0, n: before, e };
    },
  };
}
