import type { Container } from '@azure/cosmos';
import type { InvocationContext, Timer } from '@azure/functions';
import { estimateLag } from '../feed/index.ts';
import { estimateTriggerLag } from './trigger-lag.ts';

export interface ProcessorLag {
  readonly processor: string;
  /** `trigger`: an Azure Functions Cosmos DB trigger's leases; `processor`: Tributary's own processor's leases */
  readonly source: 'trigger' | 'processor';
  /**
   * changes after the checkpoints, over all ranges: an LSN estimate by default, a count with `exact` (a lower bound
   * when a range's count was capped); 0 exactly when caught up
   */
  readonly pendingChanges: number;
  /** true when `pendingChanges` is an LSN estimate */
  readonly estimated: boolean;
  /** the largest lag in time over the ranges: how old the oldest change not yet checkpointed is */
  readonly behindMs: number;
  /** how many leases (feed ranges) were found; 0 means this processor has not run yet */
  readonly ranges: number;
}

export interface LagTimerOptions {
  readonly monitored: Container;
  readonly leases: Container;
  /** Tributary processor names to report (a projection's or reactor's `processorName`) */
  readonly processors?: readonly string[];
  /** Cosmos DB triggers to report, by function name and `leaseContainerPrefix` */
  readonly triggers?: readonly { readonly name: string; readonly leasePrefix: string }[];
  /**
   * count the pending changes by reading them (about one request per 1,000 changes per range) instead of estimating
   * them from LSNs (one request per range); default false
   */
  readonly exact?: boolean;
  /** with `exact`: stop counting a range after this many changes; default 10,000 */
  readonly maxChangesPerRange?: number;
}

/**
 * A timer handler (`app.timer(name, { schedule, handler })`) that measures how far each Cosmos DB trigger (from the
 * Functions host's leases) and each Tributary processor (from its own leases) is behind the head of the change feed,
 * and logs one structured line per processor, for Application Insights. Resolves with the report.
 */
export function createLagTimerHandler(options: LagTimerOptions) {
  const { monitored, leases } = options;
  const cap = {
    exact: options.exact === true,
    ...(options.maxChangesPerRange ? { maxChangesPerRange: options.maxChangesPerRange } : {}),
  };
  const summarize = (
    processor: string,
    source: ProcessorLag['source'],
    ranges: readonly { pendingChanges: number; behindMs: number }[],
  ): ProcessorLag => ({
    processor,
    source,
    pendingChanges: ranges.reduce((sum, range) => sum + range.pendingChanges, 0),
    estimated: options.exact !== true,
    behindMs: ranges.reduce((max, range) => Math.max(max, range.behindMs), 0),
    ranges: ranges.length,
  });

  return async (_timer: Timer | undefined, context: InvocationContext): Promise<ProcessorLag[]> => {
    const report = await Promise.all([
      ...(options.triggers ?? []).map(async ({ name, leasePrefix }) =>
        summarize(name, 'trigger', await estimateTriggerLag({ monitored, leases, leasePrefix, ...cap })),
      ),
      ...(options.processors ?? []).map(async (name) =>
        summarize(name, 'processor', await estimateLag({ monitored, leases, name, ...cap })),
      ),
    ]);
    for (const lag of report) {
      context.log(
        `lag of ${lag.source} ${lag.processor}: ${lag.pendingChanges} pending changes, ${lag.behindMs} ms behind, ` +
          `${lag.ranges} ranges${lag.estimated ? ' (pending changes estimated from LSNs)' : ''}`,
        {
          processor: lag.processor,
          source: lag.source,
          pendingChanges: lag.pendingChanges,
          estimated: lag.estimated,
          behindMs: lag.behindMs,
        },
      );
    }
    return report;
  };
}
