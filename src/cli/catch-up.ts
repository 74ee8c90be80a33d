import type { HostedAppContext, HostedProcessorDefinition } from '../dev/index.ts';
import { createChangeFeedProcessor, estimateLag } from '../feed/index.ts';
import { createStreamScheduler } from '../streams/index.ts';
import type { TextSink } from './context.ts';
import { createProgressBar } from './progress.ts';

const pollMs = 250;

/**
 * Runs a processor in this process until its checkpoints have caught up with the head of the change feed, with a
 * progress bar measured in change-feed documents (the backlog when it started vs. what is left).
 */
export async function runUntilCaughtUp(
  definition: HostedProcessorDefinition,
  context: HostedAppContext,
  options: { label: string; progress: TextSink; log: (line: string) => void },
): Promise<{ events: number; parked: number }> {
  const { events, leases, deadLetters } = context.containers;
  const scheduler = createStreamScheduler({
    name: definition.name,
    handle: definition.handle,
    parking: { deadLetters, afterAttempts: 5 },
  });
  const processor = createChangeFeedProcessor({
    name: definition.name,
    monitored: events,
    leases,
    sink: scheduler,
    startFrom: 'beginning',
    pollIntervalMs: 100,
    checkpointIntervalMs: pollMs,
    leaseTimings: { acquireIntervalMs: 1_000, renewIntervalMs: 1_000, expiryMs: 5_000 },
    onError: (error, where) => options.log(`${where}: ${error instanceof Error ? error.message : String(error)}`),
  });
  const backlog = async () =>
    (await estimateLag({ monitored: events, leases, name: definition.name, maxChangesPerRange: 1_000_000 })).reduce(
      (sum, range) => sum + range.pendingChanges,
      0,
    );
  const bar = createProgressBar(options.progress, options.label, { unit: 'changes' });
  try {
    await processor.start();
    const total = await backlog();
    bar.update(0, total);
    for (let left = total; left > 0; ) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      left = await backlog();
      bar.update(Math.max(0, total - left), total);
    }
    await scheduler.awaitCompletion();
  } finally {
    await processor.stop();
    scheduler.close();
  }
  const stats = scheduler.stats();
  bar.finish();
  return { events: stats.handled.events, parked: stats.streams.parked };
}
