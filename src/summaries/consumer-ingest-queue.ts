/** Batches read from Kafka on their way to the stream scheduler. */
export interface IngestQueue {
  /** the consumer group was joined again: batches still queued belong to the old assignment and are dropped */
  newGeneration(): void;
  /**
   * Queues one batch's ingestion; resolves at once while at most `maxQueued` batches wait, else once the queue has
   * moved. A failing ingestion ends that batch only.
   */
  add(ingest: () => Promise<void>): Promise<void>;
}

/**
 * Batches waiting for the scheduler, ingested in the order read, each after the current fetch was sent (a
 * `setImmediate` later). `add` resolves at once unless more than `maxQueued` batches wait, then once all are in. A
 * batch of an earlier group generation is dropped unread: its partitions were revoked, their next owner reads it.
 * Messages of a batch dropped, or not yet ingested at `stop()`, were never tracked: their offsets are not committed.
 */
export function createIngestQueue(maxQueued = 8): IngestQueue {
  let generation = 0;
  let tail: Promise<void> = Promise.resolve();
  let queued = 0;
  return {
    newGeneration() {
      generation++;
    },
    async add(ingest: () => Promise<void>): Promise<void> {
      const at = generation;
      queued++;
      const done = tail
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => (at === generation ? ingest() : undefined))
        .finally(() => {
          queued--;
        });
      // A failed ingest (the scheduler closed by stop) ends that batch only: its messages were not tracked.
      tail = done.catch(() => undefined);
      if (queued > maxQueued) await tail;
    },
  };
}
