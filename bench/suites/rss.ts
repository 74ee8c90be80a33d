import { ensureContainers } from '../../src/store/index.ts';
import { startProcessorChild } from '../harness/child.ts';
import { startBenchCosmos } from '../harness/cosmos.ts';
import { atMost, measured } from '../harness/result.ts';
import { seedStreams } from '../harness/seed.ts';
import type { BenchContext } from '../harness/suite.ts';

/**
 * `processor.rss_mb.backlog_1m`: the peak resident memory (VmHWM) of one processor instance — its own process —
 * catching up on a backlog of 1,000,000 events (10,000 streams × 100) with a no-op handler, reading pages of 100 documents (the processor's default). The backlog is seeded
 * through the fast bulk path (one tip document per stream). `--quick` measures a 100,000-event backlog instead and
 * reports it under its own name; the 1M figure is then marked as not measured in this run.
 */
export async function run(context: BenchContext): Promise<void> {
  const streams = context.quick ? 1_000 : 10_000;
  const eventsPerStream = 100;
  const total = streams * eventsPerStream;
  const cosmos = await startBenchCosmos({ partitions: 4 });
  try {
    const databaseId = 'bench-rss';
    await ensureContainers(cosmos.client, { databaseId });
    const events = cosmos.client.database(databaseId).container('events');
    const seedStarted = performance.now();
    await seedStreams(events, { streams, eventsPerStream, concurrency: 32 });
    context.log(`seeded ${total} events in ${Math.round((performance.now() - seedStarted) / 1000)} s`);

    const child = startProcessorChild({
      endpoint: cosmos.local.endpoint,
      key: cosmos.local.key,
      databaseId,
      events: 'events',
      leases: 'leases',
      name: 'rss',
      instanceId: 'rss-0',
      maxItemsPerPage: 100,
    });
    let seconds = 0;
    try {
      await child.ready();
      const started = performance.now();
      child.start();
      await child.waitForHandled(total, context.quick ? 300_000 : 1_200_000);
      seconds = (performance.now() - started) / 1000;
    } finally {
      await child.stop();
    }
    const peak = child.peakRssMb();
    const note = `peak RSS (VmHWM) of a processor child process catching up on ${total.toLocaleString('en-US')} events (${streams.toLocaleString('en-US')} streams × ${eventsPerStream}, 4 ranges, default scheduler bounds), no-op handler; caught up in ${Math.round(seconds)} s`;
    if (context.quick) {
      context.emit(measured('processor.rss_mb.backlog_100k', peak, 'MB', { goal: atMost(300), note }));
      context.emit({
        name: 'processor.rss_mb.backlog_1m',
        value: null,
        unit: 'MB',
        target: 300,
        comparison: '<=',
        note: 'measured only by the full run (`npm run bench`); this --quick run measured processor.rss_mb.backlog_100k',
      });
    } else {
      context.emit(measured('processor.rss_mb.backlog_1m', peak, 'MB', { goal: atMost(300), note }));
    }
  } finally {
    await cosmos.close();
  }
}
