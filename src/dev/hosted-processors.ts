import type { Container } from '@azure/cosmos';
import type { ChangeFeedProcessor } from '../feed/index.ts';
import { type ChangeFeedHandler, runHandler, type StreamScheduler } from '../streams/index.ts';
import type { LeaseStatus, ProblemStream, ProcessorStatus } from './dashboard-model.ts';
import { sampleLeaseStatus } from './lease-status.ts';
import { createThroughputMeter } from './throughput.ts';

/**
 * A change-feed handler the dev host runs on its own change-feed processor (a projection, a reactor, the summary
 * publisher: `{ ...reactor, kind: 'reactor' }`). Tools accept its `name`, its `processorName` or an alias.
 */
export interface HostedProcessorDefinition extends ChangeFeedHandler {
  /** what it runs, shown on the dashboard: `projection`, `reactor`, `summaries` */
  readonly kind: string;
  /** other names tools accept for it */
  readonly aliases?: readonly string[];
  /** a projection's: deletes its views, so that a rebuild from the beginning writes them afresh */
  readonly clearViews?: () => Promise<number>;
}

export interface HostedProcessorOptions {
  readonly events: Container;
  readonly leases: Container;
  readonly deadLetters: Container;
  readonly instanceId: string;
  /** handler attempts before a failing stream is parked */
  readonly parkAfterAttempts: number;
  /** first retry delay of a failing stream (it doubles up to 5 s) */
  readonly retryInitialDelayMs: number;
  readonly log: (line: string) => void;
}

export interface HostedProcessor {
  /** the processor name */
  readonly name: string;
  readonly kind: string;
  readonly scheduler: StreamScheduler;
  readonly processor: ChangeFeedProcessor;
  /** samples lag and checkpoints from Cosmos (a few requests) and handled counts from the scheduler */
  sample(now: number): Promise<void>;
  status(): ProcessorStatus;
  problems(): Promise<{ failing: ProblemStream[]; stalled: ProblemStream[]; parked: ProblemStream[] }>;
  stop(): Promise<void>;
}

/**
 * Runs one handler on Tributary's processor: a stream scheduler (with parking in the dead-letter container) fed by
 * a change-feed processor that starts from the beginning, polls often and checkpoints every second — quick to show
 * results in development rather than frugal with requests.
 */
export async function startHostedProcessor(
  definition: HostedProcessorDefinition,
  options: HostedProcessorOptions,
): Promise<HostedProcessor> {
  const { processorName: name, kind } = definition;
  const { processor, scheduler, stop } = await runHandler(definition, {
    events: options.events,
    leases: options.leases,
    parking: { deadLetters: options.deadLetters, afterAttempts: options.parkAfterAttempts },
    scheduler: { retry: { initialDelayMs: options.retryInitialDelayMs, maxDelayMs: 5_000 }, stallAfterMs: 10_000 },
    processor: {
      instanceId: options.instanceId,
      startFrom: 'beginning',
      leaseTimings: { acquireIntervalMs: 2_000, renewIntervalMs: 2_000, expiryMs: 10_000 },
      pollIntervalMs: 200,
      checkpointIntervalMs: 1_000,
      onError: (error, context) =>
        options.log(`[${name}] ${context}: ${error instanceof Error ? error.message : String(error)}`),
    },
  });

  const throughput = createThroughputMeter();
  let leases: LeaseStatus[] = [];

  return {
    name,
    kind,
    scheduler,
    processor,
    async sample(now) {
      throughput.record(now, scheduler.stats().handled.events);
      leases = await sampleLeaseStatus(name, options, now);
    },
    status() {
      const stats = scheduler.stats();
      return {
        name,
        kind,
        leases: leases.map((lease) => ({ ...lease })),
        lag: leases.reduce((sum, lease) => sum + (lease.lag ?? 0), 0),
        eventsHandled: stats.handled.events,
        eventsPerSecond: Math.round(throughput.perSecond() * 10) / 10,
        latencyP95Ms: stats.latencyMs.samples > 0 ? Math.round(stats.latencyMs.p95) : undefined,
      };
    },
    async problems() {
      const stats = scheduler.stats();
      const since = (forMs: number) => new Date(Date.now() - forMs).toISOString();
      // The scheduler knows which of its streams are parked; the store has the details. Only ask when there are any.
      const letters = stats.streams.parked > 0 ? await scheduler.parked.list() : [];
      return {
        failing: stats.failing.map((s) => ({
          processor: name,
          stream: s.stream,
          since: since(s.forMs),
          error: s.error?.message,
          attempts: s.attempts,
        })),
        stalled: stats.stalled.map((s) => ({
          processor: name,
          stream: s.stream,
          since: since(s.forMs),
          error: s.error?.message,
        })),
        parked: letters.map((letter) => ({
          processor: name,
          stream: letter.stream,
          since: letter.parkedAt,
          error: `${letter.error.name}: ${letter.error.message}`,
          attempts: letter.attempts,
        })),
      };
    },
    stop,
  };
}
