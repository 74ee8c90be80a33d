import type { ArchiveBlobs } from './archive-blobs.ts';
import { ArchiveWriteUnverified } from './errors.ts';
import { writeProblem } from './segment.ts';

/** How many times a blob that reads back wrong is written again before the write counts as failed. */
export const writeAttempts = 3;

/**
 * Writes a blob and reads its properties back (one HEAD): the length, the MD5 the service computed over what it
 * stored, and the SHA-256 in its metadata must all match what was sent. A torn write (a body cut short on the way,
 * an overwrite by someone else) is written again, up to `writeAttempts` times, then `ArchiveWriteUnverified`.
 */
export async function writeVerified(
  blobs: ArchiveBlobs,
  name: string,
  payload: { readonly bytes: Uint8Array; readonly md5: string; readonly sha256: string },
  metadata: Record<string, string>,
): Promise<void> {
  let problem = '';
  for (let attempt = 1; attempt <= writeAttempts; attempt++) {
    await blobs.put(name, payload.bytes, { ...metadata, sha256: payload.sha256 });
    const found = writeProblem(payload, await blobs.properties(name));
    if (found === undefined) return;
    problem = found;
  }
  throw new ArchiveWriteUnverified(name, writeAttempts, problem);
}
