import { z } from 'zod';
import type { ArchiveBlobs } from './archive-blobs.ts';
import { ArchiveLayout, archiveFormat } from './layout.ts';
import { readVerifiedJson } from './manifest.ts';
import { encodeJson } from './segment.ts';
import { writeVerified } from './verified-write.ts';

/** For a pruned stream: its events below `prunedBelow` are only in the archive, in these segments. */
export const PrunedIndex = z.object({
  format: z.literal(archiveFormat),
  stream: z.string(),
  prunedBelow: z.number().int().nonnegative(),
  segments: z.array(z.string()),
  prunedAt: z.string(),
});
export type PrunedIndex = z.infer<typeof PrunedIndex>;

export function readPrunedIndex(
  blobs: ArchiveBlobs,
  category: string,
  stream: string,
): Promise<PrunedIndex | undefined> {
  return readVerifiedJson(blobs, ArchiveLayout.pruned(category, stream), PrunedIndex);
}

export async function writePrunedIndex(blobs: ArchiveBlobs, category: string, index: PrunedIndex): Promise<void> {
  await writeVerified(blobs, ArchiveLayout.pruned(category, index.stream), encodeJson(index), {
    format: archiveFormat,
  });
}
