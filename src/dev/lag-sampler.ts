import type { HostedProcessor } from './hosted-processors.ts';
import { createLagHistory, type LagHistory } from './lag-history.ts';

export interface LagSampler {
  readonly history: LagHistory;
  /** takes a sample now (or joins the one under way) */
  sample(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Samples every processor's lag and checkpoints every `intervalMs` into a history for the dashboard's chart. One
 * sample at a time: a slow one (a remote account) is joined, never stacked.
 */
export function startLagSampler(
  processors: readonly HostedProcessor[],
  intervalMs: number,
  log: (line: string) => void,
): LagSampler {
  const history = createLagHistory();
  const takeSample = async () => {
    const now = Date.now();
    await Promise.all(processors.map((processor) => processor.sample(now)));
    const lag: Record<string, number> = {};
    for (const processor of processors) {
      for (const lease of processor.status().leases) lag[`${processor.name} ${lease.range}`] = lease.lag ?? 0;
    }
    history.add({ at: now, lag });
  };
  let sampling: Promise<void> | undefined;
  const sample = () => {
    sampling ??= takeSample()
      .catch((error: unknown) => log(`lag sample failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        sampling = undefined;
      });
    return sampling;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    history,
    sample,
    async stop() {
      clearInterval(timer);
      await sampling;
    },
  };
}
