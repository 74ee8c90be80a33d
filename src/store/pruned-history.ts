import type { BatchDocument } from './documents.ts';

/**
 * Where a load finds the oldest events of a stream once the pruner has removed their batches from the container
 * (the archive's `archivePrunedHistory`). It is asked only when the container's batches end above version 0 and no
 * origin (snapshot) was found in them, so streams that were never pruned cost nothing more.
 */
export interface PrunedHistory {
  /** the stream's events before version `before` as batches, newest first, tiling down to version 0 */
  batchesBefore(stream: string, before: number): AsyncIterable<BatchDocument>;
}

/** The container's batches before `before`, newest first, continued from `history` below the oldest one held. */
export async function* withPrunedHistory(
  held: AsyncIterable<BatchDocument>,
  stream: string,
  before: number,
  history: PrunedHistory | undefined,
): AsyncGenerator<BatchDocument> {
  let oldest = before;
  for await (const batch of held) {
    oldest = batch.i;
    yield batch;
  }
  if (oldest > 0 && history !== undefined) yield* history.batchesBefore(stream, oldest);
}
