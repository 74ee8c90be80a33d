import type { Container } from '@azure/cosmos';
import type { InvocationContext, Timer } from '@azure/functions';
import { estimateLag, type RangeLag } from '../feed/index.ts';

export interface ProcessorLag {
  readonly processor: string;
  /** changes after the checkpoints, over all ranges (a lower bound when a range's count was capped) */
  readonly pendingChanges: number;
  /** the largest `behindMs` over the ranges: how old the oldest change not yet checkpointed is */
  readonly behindMs: number;
  readonly ranges: readonly RangeLag[];
}

export interface LagTimerOptions {
  readonly monitored: Container;
  readonly leases: Container;
  /** the processor names to report (a projection's or reactor's `processorName`) */
  readonly processors: readonly string[];
  /** stop counting a range after this many changes; default 10,000 */
  readonly maxChangesPerRange?: number;
}

/**
 * A timer handler (`app.timer(name, { schedule, handler })`) that measures how far each Tributary processor's
 * checkpoints are behind the head of the change feed and logs one line per processor (structured, so Application
 * Insights can chart it). Resolves with the report so other hosts can reuse it.
 */
export function createLagTimerHandler(options: LagTimerOptions) {
  return async (_timer: Timer | undefined, context: InvocationContext): Promise<ProcessorLag[]> => {
    const report = await Promise.all(
      options.processors.map(async (processor): Promise<ProcessorLag> => {
        const ranges = await estimateLag({
          monitored: options.monitored,
          leases: options.leases,
          name: processor,
          ...(options.maxChangesPerRange ? { maxChangesPerRange: options.maxChangesPerRange } : {}),
        });
        return {
          processor,
          pendingChanges: ranges.reduce((sum, range) => sum + range.pendingChanges, 0),
          behindMs: ranges.reduce((max, range) => Math.max(max, range.behindMs), 0),
          ranges,
        };
      }),
    );
    for (const lag of report) {
      context.log(
        `processor lag ${lag.processor}: ${lag.pendingChanges} pending changes, ${lag.behindMs} ms behind, ` +
          `${lag.ranges.length} ranges`,
        { processor: lag.processor, pendingChanges: lag.pendingChanges, behindMs: lag.behindMs },
      );
    }
    return report;
  };
}
