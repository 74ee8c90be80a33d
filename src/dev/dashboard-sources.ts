import type { CosmosStore } from '../store/index.ts';
import type { DashboardSources, DashboardStatus } from './dashboard-model.ts';
import { UnknownProcessor } from './errors.ts';
import type { HostedApp } from './hosted-app.ts';
import type { HostedProcessor } from './hosted-processors.ts';
import type { LagHistory } from './lag-history.ts';
import type { RecentSummaries } from './recent-summaries.ts';
import { streamView } from './stream-browser.ts';

const oneDecimal = (n: number) => Math.round(n * 10) / 10;

/** The dashboard's data, from the host's processors, lag history, summaries and store. Never holds a secret. */
export function dashboardSources(parts: {
  readonly where: () => Pick<DashboardStatus, 'api' | 'cosmos' | 'summarySink'>;
  readonly app: HostedApp;
  readonly processors: readonly HostedProcessor[];
  readonly lagHistory: LagHistory;
  readonly recentSummaries: RecentSummaries;
  readonly store: CosmosStore;
}): DashboardSources {
  const { app, processors, store } = parts;
  return {
    async status() {
      const problems = await Promise.all(processors.map((processor) => processor.problems()));
      const statuses = processors.map((processor) => processor.status());
      return {
        generatedAt: new Date().toISOString(),
        ...parts.where(),
        throughput: {
          eventsPerSecond: oneDecimal(statuses.reduce((sum, s) => sum + s.eventsPerSecond, 0)),
          eventsHandled: statuses.reduce((sum, s) => sum + s.eventsHandled, 0),
        },
        processors: statuses,
        lagHistory: parts.lagHistory.samples(),
        streams: {
          failing: problems.flatMap((p) => p.failing),
          stalled: problems.flatMap((p) => p.stalled),
          parked: problems.flatMap((p) => p.parked),
        },
        recentSummaries: parts.recentSummaries.list(),
      };
    },
    categories: () => app.categories,
    listStreams: (category) => store.listStreams(category),
    async readStream(stream) {
      return streamView(store, stream, app.state ? await app.state(stream) : undefined);
    },
    async replayParked(processorName, stream) {
      const processor = processors.find((candidate) => candidate.name === processorName);
      if (!processor) {
        throw new UnknownProcessor(
          processorName,
          processors.map((p) => p.name),
        );
      }
      await processor.scheduler.parked.replay(stream);
      return `Replayed ${stream} through ${processorName}: it is flowing again.`;
    },
  };
}
