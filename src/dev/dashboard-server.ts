import type { CosmosClient } from '@azure/cosmos';
import { ContainerNames, createCosmosStore } from '../store/index.ts';
import { dashboardSources } from './dashboard-sources.ts';
import { portInUse } from './errors.ts';
import { startDevHttpServer } from './http-server.ts';
import { startLagSampler } from './lag-sampler.ts';
import { createRecentSummaries } from './recent-summaries.ts';
import { processorsWithLeases, watchProcessor } from './watched-processors.ts';

export interface ReadOnlyDashboardServer {
  readonly url: string;
  /** the processors found in the leases container, watched through their leases and dead letters */
  readonly processors: readonly string[];
  /** takes a sample of leases and lag now instead of waiting for the next tick */
  sample(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves the dashboard for any database, read-only and without an app: the processors that keep leases there (their
 * checkpoints, lag and parked streams), the stream browser (without folded states) and the query box. Replay is
 * refused. Listens on loopback behind the dev host's HTTP edge.
 */
export async function startReadOnlyDashboard(options: {
  readonly client: CosmosClient;
  readonly databaseId: string;
  /** the account's endpoint, as shown on the page (never a key) */
  readonly endpoint: string;
  readonly kind: 'local' | 'account';
  /** default 7072; 0 picks a free port */
  readonly port?: number;
  /** default 2 s: every sample costs a few requests per processor and range */
  readonly sampleIntervalMs?: number;
  /** how often the leases container is asked for processors that started since; default 30 s */
  readonly discoverIntervalMs?: number;
  readonly log: (line: string) => void;
}): Promise<ReadOnlyDashboardServer> {
  const { client, databaseId, log } = options;
  const database = client.database(databaseId);
  const containers = {
    events: database.container(ContainerNames.events),
    leases: database.container(ContainerNames.leases),
    deadLetters: database.container(ContainerNames.deadLetters),
  };
  const names = await processorsWithLeases(containers.leases);
  // One list shared with the sampler and the page: processors that start later join it.
  const processors = names.map((name) => watchProcessor(name, containers));
  const discover = async () => {
    for (const name of await processorsWithLeases(containers.leases)) {
      if (!names.includes(name)) {
        names.push(name);
        processors.push(watchProcessor(name, containers));
      }
    }
  };
  const discovery = setInterval(() => {
    discover().catch((error: unknown) =>
      log(`looking for new processors failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }, options.discoverIntervalMs ?? 30_000);
  const sampler = startLagSampler(processors, options.sampleIntervalMs ?? 2_000, log);
  await sampler.sample();
  const sources = dashboardSources({
    where: () => ({
      api: '',
      cosmos: { endpoint: options.endpoint, kind: options.kind, database: databaseId },
      summarySink: { kind: 'none', target: 'not published from here' },
    }),
    app: undefined,
    processors,
    lagHistory: sampler.history,
    recentSummaries: createRecentSummaries(),
    store: createCosmosStore({ client, databaseId }),
    readOnly: true,
  });
  const server = await startDevHttpServer({
    host: '127.0.0.1',
    port: options.port ?? 7072,
    app: { owns: () => false, serve: async () => ({ status: 404 }) },
    dashboard: sources,
    log,
  }).catch(async (error: unknown) => {
    clearInterval(discovery);
    await sampler.stop();
    return portInUse(options.port ?? 7072, 'the dashboard', '--port')(error);
  });
  return {
    url: server.url,
    processors: names,
    sample: sampler.sample,
    async close() {
      clearInterval(discovery);
      await sampler.stop();
      await server.close();
    },
  };
}
