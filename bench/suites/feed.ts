import os from 'node:os';
import type { CosmosClient } from '@azure/cosmos';
import { WELL_KNOWN_EMULATOR_KEY } from '../../src/emulator/index.ts';
import { ensureContainers } from '../../src/store/index.ts';
import { readChangeFeedRaw } from '../baselines/raw-change-feed.ts';
import { timeBacklogRun } from '../harness/backlog-run.ts';
import { startProcessorChild } from '../harness/child.ts';
import { startBenchCosmos } from '../harness/cosmos.ts';
import { startCosmosProcess } from '../harness/cosmos-process.ts';
import { atLeast, measured, median, type Target } from '../harness/result.ts';
import { seedStreams } from '../harness/seed.ts';
import { sideBySide } from '../harness/side-by-side.ts';
import type { BenchContext } from '../harness/suite.ts';

/**
 * `feed.throughput.ratio`: events/s delivered to a no-op handler by Tributary's processor + scheduler (leases,
 * per-stream ordering and dedupe; no checkpoint falls inside a run) vs the SDK's raw change-feed loop, over the same backlog, interleaved.
 * Then the scale-out series: 1, 2, 3 processor instances (child processes) sharing 6 ranges, with a no-op and a
 * 20 ms handler.
 */
export async function run(context: BenchContext): Promise<void> {
  await throughputRatio(context);
  await instancesSeries(context);
}

/** Where the local Cosmos server runs for a throughput measurement. */
type ServerPlacement = 'own-process' | 'in-process';

async function startServer(placement: ServerPlacement): Promise<{ client: CosmosClient; close(): Promise<void> }> {
  return placement === 'own-process' ? startCosmosProcess({ partitions: 4 }) : startBenchCosmos({ partitions: 4 });
}

/**
 * The headline runs the server in a process of its own, as Cosmos DB is to a real processor: the processor's CPU
 * then goes to reading and dispatching, not to serving its own reads. The same measurement with the server in the
 * benchmark's process (one JS thread serves and consumes) is reported too.
 */
async function throughputRatio(context: BenchContext): Promise<void> {
  await throughputRatioWith(context, 'own-process', 'feed.throughput.ratio', atLeast(0.9));
  await throughputRatioWith(context, 'in-process', 'feed.throughput.shared_thread.ratio');
}

async function throughputRatioWith(
  context: BenchContext,
  placement: ServerPlacement,
  name: string,
  goal?: Target,
): Promise<void> {
  // A backlog large enough that reading it, not starting up, fills the clock: a fresh processor's start (lease
  // creation, one lease taken at a time) is measured on its own by the processor suite.
  // The quick run keeps the full backlog: a fresh processor's fixed cost (about 45 ms of lease creation, acquisition
  // and V8 compiling a fresh scheduler) weighed twice as much over half of it, so quick and full runs read different
  // ratios of the same code.
  const streams = 10_000;
  const eventsPerStream = 50;
  const total = streams * eventsPerStream;
  const pageSize = 100;
  // A round takes about a second here: more rounds than elsewhere keep the medians steady.
  const rounds = Math.max(context.rounds, context.quick ? 9 : 11);
  const warmUpRuns = 3;
  const cosmos = await startServer(placement);
  try {
    const databaseId = 'bench-feed';
    await ensureContainers(cosmos.client, { databaseId });
    const database = cosmos.client.database(databaseId);
    const events = database.container('events');
    const leases = database.container('leases');
    await seedStreams(events, { streams, eventsPerStream });
    context.log(`seeded ${total} events on ${streams} streams, 4 ranges, server ${placement}`);

    const processorRun = (round: number | string) =>
      timeBacklogRun({ name: `feed-${round}`, events, leases, total, pageSize });
    const rawRun = async () => {
      const started = performance.now();
      await readChangeFeedRaw(events, total, undefined, { maxItemCount: pageSize });
      return total / ((performance.now() - started) / 1000);
    };
    // Unmeasured runs of each side first, so that neither median carries the JIT's warm-up: the processor has more
    // code to optimize than the raw loop, and its rounds kept getting faster through the third.
    for (let warmUp = 0; warmUp < warmUpRuns; warmUp++) {
      await processorRun(`warm-up-${warmUp}`);
      await rawRun();
    }
    const result = await sideBySide(rounds, processorRun, rawRun);
    const thousands = (runs: readonly number[]) => runs.map((rate) => Math.round(rate / 1000)).join(' ');
    context.log(`${name} rounds (k events/s): Tributary ${thousands(result.tributaryRuns)}`);
    context.log(`${name} rounds (k events/s): baseline ${thousands(result.baselineRuns)}`);
    context.emit(
      measured(name, result.tributary, 'events/s', {
        ...(goal ? { goal } : {}),
        baseline: result.baseline,
        note: `${total.toLocaleString('en-US')} events on ${streams.toLocaleString('en-US')} streams, 4 ranges, from the beginning, pages of ${pageSize} documents on both sides, no-op handler; ${placement === 'own-process' ? 'the local Cosmos server in its own process' : 'the local Cosmos server in the benchmark process (one JS thread serves and consumes)'}; Tributary = processor with leases + scheduler, clock started before processor.start() (lease creation and the first acquire cycle; a fresh start is measured on its own as processor.start.*); no checkpoint is written inside the clock (runs end before the first checkpoint interval), so checkpoint writes are not in this figure, baseline = raw getChangeFeedIterator loop per range; ${warmUpRuns} warm-up runs each, then medians of ${rounds} interleaved rounds`,
      }),
    );
  } finally {
    await cosmos.close();
  }
}

/** Ranges of the scale-out container: 1, 2 and 3 instances each get an equal share. */
const seriesRanges = 6;

async function instancesSeries(context: BenchContext): Promise<void> {
  // Small documents and pages: what an instance may read ahead before the clock (two pages per range, 1,200 events
  // at most) stays a few percent of the backlog.
  const streams = context.quick ? 3_600 : 12_000;
  const eventsPerStream = 10;
  const pageSize = 10;
  const total = streams * eventsPerStream;
  const cosmos = await startCosmosProcess({ partitions: seriesRanges });
  try {
    const databaseId = 'bench-instances';
    await ensureContainers(cosmos.client, { databaseId });
    const events = cosmos.client.database(databaseId).container('events');
    await seedStreams(events, { streams, eventsPerStream });
    const rows: (string | number)[][] = [];
    for (const handlerDelayMs of [0, 20]) {
      for (const instances of [1, 2, 3]) {
        const rates: number[] = [];
        const shares: string[] = [];
        for (let round = 0; round < (context.quick ? 1 : 2); round++) {
          const name = `scale-${handlerDelayMs}-${instances}-${round}`;
          const children = Array.from({ length: instances }, (_, k) =>
            startProcessorChild({
              endpoint: cosmos.endpoint,
              key: WELL_KNOWN_EMULATOR_KEY,
              databaseId,
              events: 'events',
              leases: 'leases',
              name,
              instanceId: `${name}-i${k}`,
              maxItemsPerPage: pageSize,
              gated: true,
              handlerDelayMs,
            }),
          );
          try {
            await Promise.all(children.map((c) => c.ready()));
            for (const child of children) child.start();
            // Pages wait at the sink until the leases are balanced: the reading happens inside the clock.
            await waitFor(
              () =>
                balanced(
                  children.map((c) => c.leases()),
                  seriesRanges,
                ),
              30_000,
              'leases to balance',
            );
            shares.push(children.map((c) => c.leases()).join('/'));
            const started = performance.now();
            for (const child of children) child.go();
            await waitFor(() => children.reduce((sum, c) => sum + c.handled(), 0) >= total, 600_000, `${total} events`);
            rates.push(total / ((performance.now() - started) / 1000));
          } finally {
            await Promise.all(children.map((c) => c.stop()));
          }
        }
        const rate = Math.round(median(rates));
        rows.push([handlerDelayMs === 0 ? 'no-op' : `${handlerDelayMs} ms`, instances, shares.at(-1) ?? '', rate]);
        context.log(`${instances} instance(s), handler ${handlerDelayMs} ms: ${rate} events/s`);
      }
    }
    context.addSeries({
      name: 'feed.instances',
      title: `Throughput vs processor instances (${total.toLocaleString('en-US')} events, ${seriesRanges} ranges)`,
      columns: ['handler', 'instances', 'ranges per instance', 'events/s'],
      rows,
      note:
        `Each instance is a child process; pages wait at its sink until the ${seriesRanges} leases are balanced, so ` +
        `reading and handling happen inside the clock (at most 2 pages of ${pageSize} documents per range are read ` +
        'before it), which runs until every event is handled (progress reported every 25 ms). The local Cosmos server runs in a process of its own; everything shares a ' +
        `${os.availableParallelism()}-core machine, so with the no-op handler the CPU, not the processor, bounds the ` +
        'total. The 20 ms handler (one call per stream span) shows what instances add when handlers wait on I/O.',
    });
  } finally {
    await cosmos.close();
  }
}

/** Every range owned, and no instance owns more than one range above another. */
function balanced(owned: readonly number[], ranges: number): boolean {
  const sum = owned.reduce((a, b) => a + b, 0);
  return sum === ranges && Math.max(...owned) - Math.min(...owned) <= 1;
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
