import type { HostedAppContext, HostedProcessorDefinition } from '../dev/index.ts';
import { estimateLag } from '../feed/index.ts';
import { runHandler } from '../streams/index.ts';
import type { TextSink } from './context.ts';
import { createProgressBar } from './progress.ts';

const pollMs = 250;
const recountMs = 5_000;

export interface CatchUpResult {
  readonly events: number;
  readonly parked: number;
  /** stopped by Ctrl-C before catching up; the checkpoints written so far let a new run continue */
  readonly interrupted: boolean;
}

/**
 * Runs a processor in this process until its checkpoints have caught up with the head of the change feed, with a
 * progress bar in change-feed documents. The backlog is counted once up front (a read of it) and again only when the
 * handled pages add up to it, to confirm the checkpoints have reached the head — not on every tick, which would
 * re-read the whole remaining backlog each time.
 */
export async function runUntilCaughtUp(
  definition: HostedProcessorDefinition,
  context: HostedAppContext,
  options: { label: string; progress: TextSink; log: (line: string) => void; interrupted: Promise<string> },
): Promise<CatchUpResult> {
  const { events, leases, deadLetters } = context.containers;
  const run = await runHandler(definition, {
    events,
    leases,
    parking: { deadLetters, afterAttempts: 5 },
    processor: {
      startFrom: 'beginning',
      pollIntervalMs: 100,
      checkpointIntervalMs: pollMs,
      leaseTimings: { acquireIntervalMs: 1_000, renewIntervalMs: 1_000, expiryMs: 5_000 },
      onError: (error, where) => options.log(`${where}: ${error instanceof Error ? error.message : String(error)}`),
    },
  });
  const backlog = async () =>
    (
      await estimateLag({ monitored: events, leases, name: definition.processorName, maxChangesPerRange: 1_000_000 })
    ).reduce((sum, range) => sum + range.pendingChanges, 0);
  let interrupted = false;
  options.interrupted.then(() => {
    interrupted = true;
  });
  const bar = createProgressBar(options.progress, options.label, { unit: 'changes' });
  try {
    let total = await backlog();
    let countedAt = Date.now();
    bar.update(0, total);
    while (!interrupted) {
      await Promise.race([new Promise((resolve) => setTimeout(resolve, pollMs)), options.interrupted]);
      const handled = run.stats().handledDocuments;
      total = Math.max(total, handled);
      bar.update(handled, total);
      // Count again when the pages add up, or every few seconds in case they never do (a page that stays unhandled).
      // The count runs from the checkpoints, which trail the handled pages by up to one checkpoint interval.
      if (handled < total && Date.now() - countedAt < recountMs) continue;
      countedAt = Date.now();
      if ((await backlog()) === 0) break;
    }
    if (!interrupted) {
      await run.scheduler.awaitCompletion();
      bar.update(total, total);
    }
  } finally {
    await run.stop();
  }
  const stats = run.scheduler.stats();
  bar.finish(interrupted ? 'Interrupted: the checkpoints written so far are kept.' : undefined);
  return { events: stats.handled.events, parked: stats.streams.parked, interrupted };
}
