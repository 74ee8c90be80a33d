import { z } from 'zod';
import type { ArchiveBlobs } from './archive-blobs.ts';
import { TornArchiveBlob } from './errors.ts';
import { ArchiveLayout, archiveFormat } from './layout.ts';
import { type EncodedSegment, encodeJson, verifiedBytes } from './segment.ts';
import { writeVerified } from './verified-write.ts';

const range = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);

/** The index entry of one segment: what it holds, per stream. */
export const SegmentManifest = z.object({
  format: z.literal(archiveFormat),
  segment: z.string(),
  category: z.string(),
  writtenAt: z.string(),
  events: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
  streams: z.record(z.string(), z.array(range)),
});
export type SegmentManifest = z.infer<typeof SegmentManifest>;

export function manifestOf(segment: string, category: string, encoded: EncodedSegment, at: Date): SegmentManifest {
  return {
    format: archiveFormat,
    segment,
    category,
    writtenAt: at.toISOString(),
    events: encoded.events,
    bytes: encoded.bytes.byteLength,
    sha256: encoded.sha256,
    streams: Object.fromEntries(
      Object.entries(encoded.streams).map(([stream, ranges]) => [
        stream,
        ranges.map(([from, to]): [number, number] => [from, to]),
      ]),
    ),
  };
}

export async function writeManifest(blobs: ArchiveBlobs, manifest: SegmentManifest): Promise<void> {
  await writeVerified(blobs, ArchiveLayout.manifestOf(manifest.segment), encodeJson(manifest), {
    format: archiveFormat,
  });
}

/** Reads a JSON blob written by `writeVerified`, checked against its SHA-256 and `schema`; undefined if absent. */
export async function readVerifiedJson<T extends z.ZodType>(
  blobs: ArchiveBlobs,
  name: string,
  schema: T,
): Promise<z.output<T> | undefined> {
  const blob = await blobs.get(name);
  if (blob === undefined) return undefined;
  const text = new TextDecoder().decode(verifiedBytes(name, blob));
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new TornArchiveBlob(name, `it is not a valid ${archiveFormat} document`);
  return parsed.data;
}

/** Every intact manifest of a category, in the order the segments were written; torn ones go to `onTorn`. */
export async function* categoryManifests(
  blobs: ArchiveBlobs,
  category: string,
  onTorn: (error: TornArchiveBlob) => void,
): AsyncGenerator<SegmentManifest> {
  for await (const name of blobs.list(ArchiveLayout.manifestsPrefix(category))) {
    try {
      const manifest = await readVerifiedJson(blobs, name, SegmentManifest);
      if (manifest !== undefined) yield manifest;
    } catch (error) {
      if (!(error instanceof TornArchiveBlob)) throw error;
      onTorn(error);
    }
  }
}
