import { type Container, CosmosClient } from '@azure/cosmos';
import { createChangeFeedProcessor, estimateLag } from '../../src/feed/index.ts';
import { ensureContainers } from '../../src/store/index.ts';
import { createStreamScheduler } from '../../src/streams/index.ts';
import { timeBacklogRun } from '../harness/backlog-run.ts';
import { type BenchCosmos, startBenchCosmos } from '../harness/cosmos.ts';
import { withDeadline } from '../harness/deadline.ts';
import { atMost, measured, median } from '../harness/result.ts';
import { seedStreams } from '../harness/seed.ts';
import type { BenchContext } from '../harness/suite.ts';

const ranges = 4;

/**
 * What a processor costs outside of reading a backlog, counted in requests at the local Cosmos server:
 * - `processor.start.requests` / `processor.start.ms`: a fresh processor (no leases yet) over 4 ranges, from
 *   `start()` until its first event reaches the handler.
 * - `processor.idle.requests_per_hour`: a caught-up processor at default settings, per range.
 * - `lag.estimate.requests`: one `estimateLag` over 4 leases with a 100,000-event backlog (the LSN estimate, the
 *   default), against the exact count (`exact: true`) as baseline.
 */
export async function run(context: BenchContext): Promise<void> {
  const cosmos = await startBenchCosmos({ partitions: ranges });
  try {
    const databaseId = 'bench-processor';
    await ensureContainers(cosmos.client, { databaseId });
    const database = cosmos.client.database(databaseId);
    const events = database.container('events');
    const leases = database.container('leases');
    const streams = context.quick ? 2_000 : 10_000;
    const eventsPerStream = 100_000 / streams;
    await seedStreams(events, { streams, eventsPerStream });
    // the server loads its query engine on the first query: not the processor's time
    await leases.items.query('SELECT * FROM c').fetchAll();
    await startCost(context, cosmos, events, leases, streams);
    await lagCost(context, cosmos, events, leases, streams * eventsPerStream, streams);
    await idleCost(context, cosmos, events, leases);
  } finally {
    await cosmos.close();
  }
}

async function startCost(
  context: BenchContext,
  cosmos: BenchCosmos,
  events: Container,
  leases: Container,
  streams: number,
): Promise<void> {
  const requests: number[] = [];
  const times: number[] = [];
  const rounds = Math.max(3, context.rounds);
  for (let round = 0; round < rounds; round++) {
    const name = `start-${round}`;
    let first: { requests: number; at: number } | undefined;
    let reached: () => void = () => {};
    const handed = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const scheduler = createStreamScheduler({
      name,
      handle: async () => {
        first ??= { requests: cosmos.local.metrics().total.requests, at: performance.now() };
        reached();
        return undefined;
      },
    });
    // a client of its own, as a process starting up has: nothing about the containers is known yet
    const client = new CosmosClient({
      endpoint: cosmos.local.endpoint,
      key: cosmos.local.key,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    const database = client.database(events.database.id);
    const processor = createChangeFeedProcessor({
      name,
      monitored: database.container(events.id),
      leases: database.container(leases.id),
      sink: scheduler,
    });
    const before = cosmos.local.metrics().total.requests;
    const started = performance.now();
    await processor.start();
    await withDeadline(handed, 60_000, 'the first event');
    requests.push((first?.requests ?? Number.NaN) - before);
    times.push((first?.at ?? Number.NaN) - started);
    await processor.stop();
    scheduler.close();
    client.dispose();
  }
  const note = `a fresh processor (no lease documents) on a new CosmosClient over ${ranges} ranges with ${streams.toLocaleString('en-US')} streams waiting, default settings, from start() until the first event reaches the handler; the local server in the benchmark process; median of ${rounds} processors (requests per run: ${requests.join(', ')}; ms: ${times.map((t) => Math.round(t)).join(', ')})`;
  context.emit(
    measured('processor.start.requests', median(requests), 'requests', {
      goal: atMost(10),
      note: `${note}. They are: 2 lease listings (one query each: the query plan request the JS SDK sends beside every cross-partition query is skipped; the second listing finds leases other instances created meanwhile, which a split between their views could make overlap), the feed ranges, 4 lease creates (one-operation batches; the lease this instance reads first is created owned), then the first iterator's container read and routing map, and its first change-feed read.`,
    }),
  );
  context.emit(measured('processor.start.ms', median(times), 'ms', { note }));
}

async function lagCost(
  context: BenchContext,
  cosmos: BenchCosmos,
  events: Container,
  leases: Container,
  backlog: number,
  streams: number,
): Promise<void> {
  // leases with checkpoints at the head, then the backlog written after them: rewinding to the beginning would
  // leave the leases without a continuation, so the processor catches up on a fresh container's worth first
  const name = 'lagging';
  await timeBacklogRun({ name, events, leases, total: backlog, pageSize: 100 });
  await seedStreams(events, { streams, eventsPerStream: backlog / streams, category: 'Backlog' });

  const options = { monitored: events, leases, name };
  const estimateCosts: number[] = [];
  const cold = await cosmos.cost(() => estimateLag(options));
  for (let round = 0; round < Math.max(3, context.rounds); round++) {
    estimateCosts.push((await cosmos.cost(() => estimateLag(options))).cost.requests);
  }
  const exact = await cosmos.cost(() => estimateLag({ ...options, exact: true, maxChangesPerRange: 1_000_000 }));
  const estimated = cold.result.reduce((sum, range) => sum + range.pendingChanges, 0);
  const counted = exact.result.reduce((sum, range) => sum + range.pendingChanges, 0);
  context.emit(
    measured('lag.estimate.requests', median(estimateCosts), 'requests', {
      goal: atMost(ranges + 1),
      baseline: exact.cost.requests,
      note: `one estimateLag over ${ranges} leases whose checkpoints are ${backlog.toLocaleString('en-US')} events (${streams.toLocaleString('en-US')} documents) behind; LSN estimate (the default, one change-feed read of one item per lease) vs the exact count (baseline, reads the backlog: ${exact.cost.documentsRead.toLocaleString('en-US')} documents). The figure is the lease listing — one query, without the query plan request the JS SDK would send beside it — plus one read per lease; the first estimate on a client also reads the container and its routing map once (${cold.cost.requests} requests). Estimated ${estimated.toLocaleString('en-US')} pending changes vs ${counted.toLocaleString('en-US')} counted documents: the estimate counts writes between LSNs, and the local server numbers LSNs across the whole container (Cosmos DB numbers them per physical partition), so here each range's estimate also spans the other ranges' writes`,
    }),
  );
}

async function idleCost(context: BenchContext, cosmos: BenchCosmos, events: Container, leases: Container) {
  const name = 'idle';
  const scheduler = createStreamScheduler({ name, handle: async () => undefined });
  const processor = createChangeFeedProcessor({ name, monitored: events, leases, sink: scheduler });
  await processor.start();
  const caughtUp = async () => {
    const lag = await estimateLag({ monitored: events, leases, name });
    return lag.length === ranges && lag.every((range) => range.pendingChanges === 0);
  };
  const deadline = Date.now() + 600_000;
  while (!(await caughtUp())) {
    if (Date.now() > deadline) throw new Error('the idle processor did not catch up in 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // the pause between empty reads doubles from 0.5 s to 8 s within 16 s of the last change
  const warmUpMs = 20_000;
  const windowMs = context.quick ? 30_000 : 90_000;
  await new Promise((resolve) => setTimeout(resolve, warmUpMs));
  const { cost } = await cosmos.cost(() => new Promise((resolve) => setTimeout(resolve, windowMs)));
  await processor.stop();
  scheduler.close();
  const perHour = (cost.requests / ranges) * (3_600_000 / windowMs);
  context.emit(
    measured('processor.idle.requests_per_hour', perHour, 'requests/hour', {
      goal: atMost(1_000),
      note: `one caught-up processor instance at default settings (poll pause doubling from 0.5 s to 8 s, lease renewal 15 s, acquire cycle 15 s), per range over ${ranges} ranges: ${cost.requests} requests at the local server in a ${windowMs / 1000} s window (after ${warmUpMs / 1000} s idle), scaled to an hour. Expected per range: 450 polls + 240 renewals + a quarter of the instance's 240 listing requests (one query every 15 s) = 750; with one range the listing is not shared: 930`,
    }),
  );
}
