import { createChangeFeedProcessor } from '../../src/feed/index.ts';
import { createProjection } from '../../src/projections/index.ts';
import { ensureContainers } from '../../src/store/index.ts';
import { createStreamScheduler } from '../../src/streams/index.ts';
import { startBenchCosmos } from '../harness/cosmos.ts';
import { withDeadline } from '../harness/deadline.ts';
import { measured, median } from '../harness/result.ts';
import { seedStreams } from '../harness/seed.ts';
import type { BenchContext } from '../harness/suite.ts';

interface Balance {
  balance: number;
  count: number;
}

/**
 * `projection.throughput.events_per_sec`: a backlog on 1,000 streams projected into one view per stream (read the
 * view, fold the new events, ETag-guarded write), through the processor and scheduler, from the beginning.
 */
export async function run(context: BenchContext): Promise<void> {
  const streams = 1_000;
  const eventsPerStream = context.quick ? 20 : 100;
  const total = streams * eventsPerStream;
  const cosmos = await startBenchCosmos({ partitions: 4 });
  try {
    const databaseId = 'bench-projection';
    await ensureContainers(cosmos.client, { databaseId });
    const database = cosmos.client.database(databaseId);
    await seedStreams(database.container('events'), { streams, eventsPerStream });
    const rates: number[] = [];
    let viewWrites = 0;
    for (let round = 0; round < context.rounds; round++) {
      const projection = createProjection<Balance>({
        name: `balances-${round}`,
        version: 1,
        container: database.container('views'),
        apply: (view, events) =>
          events.reduce(
            (state, event) => ({
              balance: state.balance + ((event.data as { amount?: number }).amount ?? 0),
              count: state.count + 1,
            }),
            view ?? { balance: 0, count: 0 },
          ),
      });
      let handled = 0;
      let reached: () => void = () => {};
      const all = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const scheduler = createStreamScheduler({
        name: projection.processorName,
        handle: async (span) => {
          const outcome = await projection.handle(span);
          handled += span.events.length;
          if (handled >= total) reached();
          return outcome;
        },
      });
      const processor = createChangeFeedProcessor({
        name: projection.processorName,
        monitored: database.container('events'),
        leases: database.container('leases'),
        sink: scheduler,
        startFrom: 'beginning',
      });
      const before = structuredClone(cosmos.local.metrics().byOperation.write);
      const started = performance.now();
      await processor.start();
      await withDeadline(all, 600_000, 'the projection to catch up');
      rates.push(total / ((performance.now() - started) / 1000));
      viewWrites = cosmos.local.metrics().byOperation.write.documentsWritten - before.documentsWritten;
      await processor.stop();
      scheduler.close();
      const sample = await projection.read('Seed-0');
      if (sample?.count !== eventsPerStream) throw new Error(`view Seed-0 holds ${sample?.count} events`);
    }
    context.emit(
      measured('projection.throughput.events_per_sec', median(rates), 'events/s', {
        note: `${total.toLocaleString('en-US')} events on ${streams.toLocaleString('en-US')} streams (${eventsPerStream} per stream) projected from the beginning into one view per stream, default scheduler concurrency (16 streams); about ${viewWrites.toLocaleString('en-US')} document writes (views, leases, checkpoints) per run; median of ${context.rounds} rounds`,
      }),
    );
  } finally {
    await cosmos.close();
  }
}
