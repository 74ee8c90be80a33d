import type { CosmosStore } from '../store/index.ts';
import type { RecentSpan } from '../tracing/recent-spans.ts';
import { consumerProblems, consumerStatus } from './consumer-status.ts';
import { queryContainer } from './container-query.ts';
import { ReadOnlyDashboard } from './dashboard-errors.ts';
import type {
  DashboardSources,
  DashboardStatus,
  ProcessorHealth,
  ProcessorStatus,
  PublisherHealth,
} from './dashboard-model.ts';
import { UnknownProcessor } from './errors.ts';
import type { HostedApp } from './hosted-app.ts';
import type { HostedConsumer } from './hosted-consumers.ts';
import type { HostedProcessor } from './hosted-processors.ts';
import { journeyOf } from './journey.ts';
import type { LagHistory } from './lag-history.ts';
import { explainStalled } from './problem-rows.ts';
import type { RecentSummaries } from './recent-summaries.ts';
import { findStreams, streamStep, streamView } from './stream-browser.ts';

/** A processor as the dashboard reads it; the dev host's own also has the scheduler that Replay needs. */
export type DashboardProcessor = Pick<HostedProcessor, 'name' | 'status' | 'problems'> & {
  readonly scheduler?: HostedProcessor['scheduler'];
};

type Problems = Awaited<ReturnType<HostedProcessor['problems']>>;

function healthOf(status: ProcessorStatus, problems: Problems): ProcessorHealth {
  if (problems.failing.length > 0 || problems.stalled.length > 0) return 'failing';
  if (problems.parked.length > 0) return 'parked';
  return status.lag > 0 ? 'catching-up' : 'caught-up';
}

/** The dashboard's data, from the host's processors, lag history, summaries and store. Never holds a secret. */
export function dashboardSources(parts: {
  readonly where: () => Pick<DashboardStatus, 'api' | 'cosmos' | 'summarySink'>;
  /** the app whose categories and states the stream browser shows; none for `tributary dashboard` */
  readonly app: HostedApp | undefined;
  readonly processors: readonly DashboardProcessor[];
  /** the downstream consumers the host runs */
  readonly consumers?: readonly HostedConsumer[];
  readonly lagHistory: LagHistory;
  readonly recentSummaries: RecentSummaries;
  readonly store: CosmosStore;
  /** the summary publisher's health, when the host publishes */
  readonly publisherHealth?: () => PublisherHealth;
  /** refuse Replay: the page only looks */
  readonly readOnly?: boolean;
  /** the spans the host keeps, for the journey view; none when tracing is off */
  readonly recentSpans?: (() => readonly RecentSpan[]) | undefined;
}): DashboardSources {
  const { app, processors, store } = parts;
  const consumers = parts.consumers ?? [];
  const kindOf = (name: string) => processors.find((p) => p.name === name)?.status().kind ?? '';
  return {
    async status() {
      const problems = await Promise.all(processors.map((processor) => processor.problems()));
      const consumerTrouble = await Promise.all(consumers.map(consumerProblems));
      const statuses = processors.map((processor, at) => ({
        ...processor.status(),
        health: healthOf(processor.status(), problems[at] as Problems),
      }));
      const busiest = statuses.reduce<ProcessorStatus | undefined>(
        (best, s) => (best === undefined || s.eventsHandled > best.eventsHandled ? s : best),
        undefined,
      );
      const where = parts.where();
      const publisher = parts.publisherHealth?.();
      return {
        generatedAt: new Date().toISOString(),
        ...where,
        summarySink: publisher ? { ...where.summarySink, health: publisher } : where.summarySink,
        throughput: {
          processor: busiest?.name,
          eventsPerSecond: busiest?.eventsPerSecond ?? 0,
          eventsHandled: busiest?.eventsHandled ?? 0,
        },
        readOnly: parts.readOnly === true,
        processors: statuses,
        consumers: consumers.map(consumerStatus),
        lagHistory: parts.lagHistory.samples(),
        streams: {
          failing: [...problems.flatMap((p) => p.failing), ...consumerTrouble.flatMap((c) => c.failing)],
          stalled: problems.flatMap((p) =>
            p.stalled.map((s) => explainStalled(s, p.failing, kindOf(s.processor), publisher)),
          ),
          parked: [...problems.flatMap((p) => p.parked), ...consumerTrouble.flatMap((c) => c.parked)],
        },
        recentSummaries: parts.recentSummaries.list(),
      };
    },
    categories: () => app?.categories ?? [],
    listStreams: (category) => store.listStreams(category),
    findStreams: (prefix, page) => findStreams(store.container, prefix, page),
    async readStream(stream) {
      return streamView(store, stream, app?.state ? await app.state(stream) : undefined);
    },
    streamAt: (stream, at) => streamStep(app?.stateAsOf?.bind(app), stream, at),
    journey: (stream, index) => journeyOf(parts.recentSpans?.(), stream, index),
    query: (container, sql, continuation) => queryContainer(store.container.database, container, sql, continuation),
    async replayParked(processorName, stream) {
      if (parts.readOnly) throw new ReadOnlyDashboard('replay a parked stream');
      const processor = processors.find((candidate) => candidate.name === processorName);
      const parked = processor?.scheduler?.parked ?? consumers.find((c) => c.name === processorName)?.parked;
      if (!parked) {
        throw new UnknownProcessor(processorName, [...processors.map((p) => p.name), ...consumers.map((c) => c.name)]);
      }
      await parked.replay(stream);
      return `Replayed ${stream} through ${processorName}: it is flowing again.`;
    },
  };
}
