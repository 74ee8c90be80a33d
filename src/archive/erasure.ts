import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { StreamName } from '../core/index.ts';
import { tipId } from '../store/index.ts';
import type { ArchiveBlobs } from './archive-blobs.ts';
import { segmentsHolding } from './archive-reader.ts';
import { TornArchiveBlob } from './errors.ts';
import { ArchiveLayout, archiveFormat } from './layout.ts';
import { manifestOf, readVerifiedJson, SegmentManifest, writeManifest } from './manifest.ts';
import { decodeSegment, encodeJson, encodeSegment, segmentMetadata } from './segment.ts';
import { writeVerified } from './verified-write.ts';

/** What an erasure removed, kept in the archive under `v1/erasures/` (it holds no event data). */
export const ErasureRecord = z.object({
  format: z.literal(archiveFormat),
  stream: z.string(),
  erasedAt: z.string(),
  reason: z.string(),
  requestedBy: z.string().optional(),
  containerDocuments: z.number().int().nonnegative(),
  archivedEvents: z.number().int().nonnegative(),
  segmentsRewritten: z.array(z.string()),
});
export type ErasureRecord = z.infer<typeof ErasureRecord>;

export interface EraseOptions {
  readonly events: Container;
  readonly blobs: ArchiveBlobs;
  readonly stream: string;
  /** why (e.g. a ticket number); recorded */
  readonly reason: string;
  /** who asked; recorded */
  readonly requestedBy?: string;
  readonly now?: () => Date;
}

async function eraseFromContainer(events: Container, stream: string): Promise<number> {
  const { resources } = await events.items
    .query<{ id: string }>('SELECT c.id FROM c', { partitionKey: stream })
    .fetchAll();
  // Batches before the tip: a stream whose tip is gone but whose batch "0" is left would refuse a new stream's first
  // calving (409) under the same name.
  const ordered = [...resources.filter((d) => d.id !== tipId), ...resources.filter((d) => d.id === tipId)];
  for (const { id } of ordered) {
    await events
      .item(id, stream)
      .delete()
      .catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== 404) throw error;
      });
  }
  return resources.length;
}

/** Rewrites a segment without the stream's events (or removes it when nothing else is left); returns how many went. */
async function eraseFromSegment(blobs: ArchiveBlobs, segment: string, stream: string): Promise<number> {
  const blob = await blobs.get(segment);
  if (blob === undefined) return 0;
  const events = decodeSegment(segment, blob);
  const kept = events.filter((event) => event.p !== stream);
  if (kept.length === events.length) return 0;
  const manifestName = ArchiveLayout.manifestOf(segment);
  if (kept.length === 0) {
    await blobs.remove(manifestName);
    await blobs.remove(segment);
    return events.length;
  }
  const previous = await readVerifiedJson(blobs, manifestName, SegmentManifest);
  const category = previous?.category ?? StreamName.category(StreamName.parse(stream));
  const encoded = encodeSegment(kept);
  await writeVerified(blobs, segment, encoded, segmentMetadata(encoded));
  await writeManifest(blobs, manifestOf(segment, category, encoded, new Date(previous?.writtenAt ?? Date.now())));
  return events.length - kept.length;
}

/**
 * Erases a whole stream (GDPR-style): every document of it in the container, every event of it in the archive (the
 * segments that hold it are rewritten without them, and read back), its `pruned/` index; then records what was done
 * under `v1/erasures/`. Safe to run again after a failure part way. Run it once the stream gets no more writes: an
 * event appended meanwhile, or archived from a change read before, would survive (run it again to remove it).
 */
export async function eraseStream(options: EraseOptions): Promise<ErasureRecord> {
  const { events, blobs, reason, requestedBy } = options;
  const stream = StreamName.parse(options.stream);
  const containerDocuments = await eraseFromContainer(events, stream);
  const segmentsRewritten: string[] = [];
  let archivedEvents = 0;
  for (const segment of await segmentsHolding(blobs, stream)) {
    try {
      const removed = await eraseFromSegment(blobs, segment, stream);
      if (removed > 0) segmentsRewritten.push(segment);
      archivedEvents += removed;
    } catch (error) {
      if (!(error instanceof TornArchiveBlob)) throw error;
      throw new TornArchiveBlob(
        segment,
        `${error.problem}; the erasure of ${stream} stopped there, run it again once repaired`,
      );
    }
  }
  await blobs.remove(ArchiveLayout.pruned(StreamName.category(stream), stream));
  const erasedAt = (options.now ?? (() => new Date()))();
  const record: ErasureRecord = {
    format: archiveFormat,
    stream,
    erasedAt: erasedAt.toISOString(),
    reason,
    ...(requestedBy === undefined ? {} : { requestedBy }),
    containerDocuments,
    archivedEvents,
    segmentsRewritten,
  };
  await writeVerified(blobs, ArchiveLayout.erasure(stream, erasedAt), encodeJson(record), { format: archiveFormat });
  return record;
}

/** The erasures recorded in the archive, oldest first. */
export async function listErasures(blobs: ArchiveBlobs): Promise<ErasureRecord[]> {
  const records: ErasureRecord[] = [];
  for await (const name of blobs.list(`${ArchiveLayout.prefix()}erasures/`)) {
    const record = await readVerifiedJson(blobs, name, ErasureRecord);
    if (record !== undefined) records.push(record);
  }
  return records;
}
