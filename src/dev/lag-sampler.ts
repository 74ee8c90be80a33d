import type { HostedProcessor } from './hosted-processors.ts';
import { createLagHistory, type LagHistory } from './lag-history.ts';
import { formatOperatorEvent, operatorEvents, type ProcessorObservation } from './operator-log.ts';

/** What the sampler needs of a processor: the dev host's own, or one only watched through its leases. */
export type SampledProcessor = Pick<HostedProcessor, 'name' | 'sample' | 'status' | 'problems'>;

export interface LagSampler {
  readonly history: LagHistory;
  /** takes a sample now (or joins the one under way) */
  sample(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Samples every processor's lag, checkpoints and throughput every `intervalMs` into a history for the dashboard's
 * charts, and writes a console line when a stream starts failing, stalls, is parked or recovers, or a lease changes
 * owner (JSON when `json`, by default when stderr is not a terminal). One sample at a time: a slow one (a remote
 * account) is joined, never stacked.
 */
export function startLagSampler(
  processors: readonly SampledProcessor[],
  intervalMs: number,
  log: (line: string) => void,
  options: { readonly json?: boolean } = {},
): LagSampler {
  const json = options.json ?? !process.stderr.isTTY;
  const history = createLagHistory();
  let observed: ProcessorObservation[] = [];
  const takeSample = async () => {
    const now = Date.now();
    await Promise.all(processors.map((processor) => processor.sample(now)));
    const lag: Record<string, number> = {};
    const rate: Record<string, number> = {};
    for (const processor of processors) {
      const status = processor.status();
      lag[processor.name] = status.lag;
      if (!status.observedOnly) rate[processor.name] = status.eventsPerSecond;
    }
    history.add({ at: now, lag, rate });
    const observations = await Promise.all(
      processors.map(async (processor): Promise<ProcessorObservation> => {
        const problems = await processor.problems();
        const owners = Object.fromEntries(processor.status().leases.map((lease) => [lease.range, lease.owner]));
        return { processor: processor.name, owners, ...problems };
      }),
    );
    for (const event of operatorEvents(observed, observations)) log(formatOperatorEvent(event, new Date(now), json));
    observed = observations;
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
