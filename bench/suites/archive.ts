import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import {
  type ArchiveBlobs,
  archivePrunedHistory,
  createArchiver,
  pruneCategory,
  replayArchiveInto,
  runArchiver,
} from '../../src/archive/index.ts';
import { defineCodec } from '../../src/codec/index.ts';
import { createCosmosStore, ensureContainers } from '../../src/store/index.ts';
import { createStreamScheduler, runHandler, type StreamHandler } from '../../src/streams/index.ts';
import { startTestAzurite } from '../../src/testing/azurite.ts';
import { type BenchCosmos, startBenchCosmos } from '../harness/cosmos.ts';
import { measured, median } from '../harness/result.ts';
import type { BenchContext } from '../harness/suite.ts';

const eventsPerStream = 100;
const batchSize = 40;
const quiet = { onError: () => undefined } as const;
const ledgerCodec = defineCodec({ Deposited: z.object({ amount: z.number() }) });
const countEvents = { initial: 0, evolve: (count: number) => count + 1 };

/**
 * Writes each stream as Equinox documents directly: batches of 40 events (`0`, `40`) and a tip holding the last 20,
 * so that most events sit in calved batches, as in a store that has run for a while.
 */
async function seed(events: Container, streams: number): Promise<void> {
  const t = new Date(Date.now() - 3_600_000).toISOString();
  const eventsOf = (s: number, from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => ({ t, c: 'Deposited', d: { amount: ((s + from + k) % 100) + 1 } }));
  let next = 0;
  const worker = async () => {
    for (let s = next++; s < streams; s = next++) {
      const p = `Ledger-${s}`;
      for (let i = 0; i + batchSize < eventsPerStream; i += batchSize) {
        await events.items.create({ id: String(i), p, i, n: i + batchSize, e: eventsOf(s, i, i + batchSize) });
      }
      const i = Math.floor((eventsPerStream - 1) / batchSize) * batchSize;
      await events.items.create({ id: '-1', p, i, n: eventsPerStream, e: eventsOf(s, i, eventsPerStream), u: [] });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

async function containerBytes(events: Container): Promise<{ bytes: number; documents: number }> {
  let bytes = 0;
  let documents = 0;
  const pages = events.items.query('SELECT * FROM c', { maxItemCount: 1_000 });
  while (pages.hasMoreResults()) {
    for (const document of (await pages.fetchNext()).resources ?? []) {
      bytes += Buffer.byteLength(JSON.stringify(document));
      documents++;
    }
  }
  return { bytes, documents };
}

const blobRequests = (blobs: ArchiveBlobs) =>
  blobs.requests.get + blobs.requests.put + blobs.requests.list + blobs.requests.properties + blobs.requests.remove;

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Replays every event through a counting handler from the change feed (a new processor name each time). */
async function replayFromFeed(cosmos: BenchCosmos, database: string, total: number, round: number) {
  const db = cosmos.client.database(database);
  let handled = 0;
  const { cost, result: seconds } = await cosmos.cost(async () => {
    const started = performance.now();
    const name = `feed-replay-${round}`;
    const handle: StreamHandler = async (span) => {
      handled += span.events.length;
      return undefined;
    };
    const run = await runHandler(
      { name, processorName: name, handle },
      {
        events: db.container('events'),
        leases: db.container('leases'),
        processor: { startFrom: 'beginning', pollIntervalMs: 50, ...quiet },
      },
    );
    await until(() => handled >= total, 1_800_000);
    const elapsed = (performance.now() - started) / 1000;
    await run.stop();
    return elapsed;
  });
  return { rate: total / seconds, requests: cost.requests, bytesOut: cost.bytesOut };
}

/** Replays every event through a counting handler from the archive. */
async function replayFromArchive(cosmos: BenchCosmos, blobs: ArchiveBlobs, total: number) {
  let handled = 0;
  const blobsBefore = blobRequests(blobs);
  const bytesBefore = blobs.requests.bytesRead;
  const scheduler = createStreamScheduler({
    name: 'archive-replay',
    handle: async (span) => {
      handled += span.events.length;
      return undefined;
    },
  });
  const { cost, result: seconds } = await cosmos.cost(async () => {
    const started = performance.now();
    await replayArchiveInto(scheduler, blobs);
    return (performance.now() - started) / 1000;
  });
  scheduler.close();
  if (handled < total) throw new Error(`the archive replay handled ${handled} of ${total} events`);
  return {
    rate: total / seconds,
    requests: cost.requests,
    blobRequests: blobRequests(blobs) - blobsBefore,
    blobBytes: blobs.requests.bytesRead - bytesBefore,
  };
}

/**
 * `archive.*`: 1,000,000 events (10,000 streams × 100; `--quick`: 100,000) archived by the archiver, then replayed
 * through a counting handler from the archive and from the change feed side by side (interleaved rounds, medians),
 * with the Cosmos DB requests of each (the local server's counters) and the blob requests of the archive (Azurite,
 * in this process like the local Cosmos server); then the container's bytes before and after pruning every batch
 * the archive holds, and what a load of a pruned stream costs.
 */
export async function run(context: BenchContext): Promise<void> {
  const streams = context.quick ? 1_000 : 10_000;
  const total = streams * eventsPerStream;
  const rounds = context.quick ? 1 : Math.max(1, Math.min(3, context.rounds));
  const cosmos = await startBenchCosmos({ partitions: 4 });
  const azurite = await startTestAzurite();
  try {
    const databaseId = 'bench-archive';
    await ensureContainers(cosmos.client, { databaseId });
    const db = cosmos.client.database(databaseId);
    const events = db.container('events');
    const seedStarted = performance.now();
    await seed(events, streams);
    context.log(`seeded ${total} events in ${Math.round((performance.now() - seedStarted) / 1000)} s`);
    const blobs = await azurite.archive('archive');

    const archiver = createArchiver({ blobs });
    const archived = await cosmos.cost(async () => {
      const started = performance.now();
      const running = await runArchiver(archiver, { events, leases: db.container('leases'), processor: quiet });
      await until(() => archiver.stats().events >= total, 1_800_000);
      const seconds = (performance.now() - started) / 1000;
      await running.stop();
      return seconds;
    });
    const stats = archiver.stats();
    context.emit(
      measured('archive.archiver.events_per_sec', total / archived.result, 'events/s', {
        note: `${stats.segments} segments, ${blobs.requests.put} blob writes, ${blobs.requests.properties} read-backs, ${(blobs.requests.bytesWritten / 1e6).toFixed(1)} MB written; ${archived.cost.requests} Cosmos requests`,
      }),
    );

    const fromArchive: Awaited<ReturnType<typeof replayFromArchive>>[] = [];
    const fromFeed: Awaited<ReturnType<typeof replayFromFeed>>[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        fromArchive.push(await replayFromArchive(cosmos, blobs, total));
        fromFeed.push(await replayFromFeed(cosmos, databaseId, total, round));
      } else {
        fromFeed.push(await replayFromFeed(cosmos, databaseId, total, round));
        fromArchive.push(await replayFromArchive(cosmos, blobs, total));
      }
    }
    const archiveRate = median(fromArchive.map((r) => r.rate));
    const feedRate = median(fromFeed.map((r) => r.rate));
    const size = `${total.toLocaleString('en-US')} events`;
    context.emit(
      measured('archive.replay.events_per_sec', archiveRate, 'events/s', {
        baseline: feedRate,
        note: `replay of ${size} from the archive (value) vs the change feed (baseline), counting handler, medians of ${rounds} interleaved round(s): ${fromArchive.map((r) => Math.round(r.rate)).join(', ')} vs ${fromFeed.map((r) => Math.round(r.rate)).join(', ')}`,
      }),
    );
    context.emit(
      measured('archive.replay.cosmos_requests', median(fromArchive.map((r) => r.requests)), 'requests', {
        baseline: median(fromFeed.map((r) => r.requests)),
        note: `Cosmos DB requests of one replay of ${size}: from the archive (value) vs the change feed (baseline, leases included; ${(median(fromFeed.map((r) => r.bytesOut)) / 1e6).toFixed(1)} MB read)`,
      }),
    );
    context.emit(
      measured('archive.replay.blob_requests', median(fromArchive.map((r) => r.blobRequests)), 'requests', {
        note: `blob requests of one replay of ${size} from the archive (1 listing + 1 read per segment); ${(median(fromArchive.map((r) => r.blobBytes)) / 1e6).toFixed(1)} MB read`,
      }),
    );

    const ledger = (history?: ReturnType<typeof archivePrunedHistory>) =>
      createCosmosStore({
        client: cosmos.client,
        databaseId,
        cache: { maxEntries: 0 },
        ...(history ? { prunedHistory: history } : {}),
      }).category({ name: 'Ledger', codec: ledgerCodec, fold: countEvents, cache: false });
    const loadBefore = await cosmos.cost(() => ledger().load('7'));
    const before = await containerBytes(events);
    const pruned = await cosmos.cost(() =>
      pruneCategory({ events, blobs, category: 'Ledger', policy: { olderThanMs: 0 } }),
    );
    const after = await containerBytes(events);
    context.emit(
      measured('archive.prune.container_bytes', after.bytes, 'bytes', {
        baseline: before.bytes,
        note: `events container after pruning (value) vs before (baseline): ${before.documents} → ${after.documents} documents; the pruner deleted ${pruned.result.batchesDeleted} batches (${pruned.result.eventsPruned} events) with ${pruned.cost.requests} Cosmos requests`,
      }),
    );
    const blobsBefore = blobRequests(blobs);
    const loadAfter = await cosmos.cost(() => ledger(archivePrunedHistory(blobs)).load('7'));
    if (loadAfter.result.state !== eventsPerStream || loadBefore.result.state !== eventsPerStream) {
      throw new Error(`a load folded ${loadBefore.result.state} then ${loadAfter.result.state} events`);
    }
    context.emit(
      measured(
        'archive.load_pruned.requests',
        loadAfter.cost.requests + blobRequests(blobs) - blobsBefore,
        'requests',
        {
          baseline: loadBefore.cost.requests,
          note: `a load without a snapshot of a pruned stream: ${loadAfter.cost.requests} Cosmos + ${blobRequests(blobs) - blobsBefore} blob requests (value) vs ${loadBefore.cost.requests} Cosmos requests before pruning (baseline)`,
        },
      ),
    );
  } finally {
    await azurite.close();
    await cosmos.close();
  }
}
