import { describe, expect, it } from 'vitest';
import { createIngestQueue } from '../../../src/summaries/consumer-ingest-queue.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the queue between Kafka batches and the scheduler', () => {
  it('ingests batches in the order read, after the fetch that read them returned', async () => {
    const queue = createIngestQueue();
    const order: number[] = [];
    for (const batch of [1, 2, 3]) {
      await queue.add(async () => {
        await new Promise((resolve) => setTimeout(resolve, 4 - batch));
        order.push(batch);
      });
    }
    // `add` returned before any ingestion ran: kafkajs can send its next fetch first
    expect(order).toEqual([]);
    await settle();
    expect(order).toEqual([1, 2, 3]);
  });

  it('drops a batch still queued when the group is joined again: its partitions were revoked', async () => {
    const queue = createIngestQueue();
    const ingested: string[] = [];
    await queue.add(async () => {
      ingested.push('old assignment');
    });
    queue.newGeneration();
    await queue.add(async () => {
      ingested.push('new assignment');
    });
    await settle();
    expect(ingested).toEqual(['new assignment']);
  });

  it('holds the fetch back once more than maxQueued batches wait, and a failing batch ends only itself', async () => {
    const queue = createIngestQueue(2);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ingested: number[] = [];
    await queue.add(() => gate);
    await queue.add(async () => {
      throw new Error('scheduler closed');
    });
    let third = false;
    const adding = queue.add(async () => {
      ingested.push(3);
    });
    void adding.then(() => {
      third = true;
    });
    await settle();
    expect(third).toBe(false);
    release();
    await adding;
    expect(third).toBe(true);
    expect(ingested).toEqual([3]);
  });
});
