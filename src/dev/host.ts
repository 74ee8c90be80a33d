import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import type { CosmosClient } from '@azure/cosmos';
import { type LocalCosmos, startLocalCosmos, WELL_KNOWN_EMULATOR_KEY } from '../emulator/index.ts';
import { checkCosmosAccess } from '../store/access-check.ts';
import { createCosmosClient, isLocalEndpoint } from '../store/client.ts';
import { createCosmosStore, ensureContainers, tributaryContainers } from '../store/index.ts';
import type { StreamHandler } from '../streams/index.ts';
import type { Tracing, TracingOptions } from '../tracing/setup.ts';
import { appRequestHandler } from './app-http.ts';
import { checkHostedApp } from './app-module.ts';
import type { DevHostConfig } from './config.ts';
import { dashboardSources } from './dashboard-sources.ts';
import { startDevArchive } from './dev-archive.ts';
import { startDevTracing } from './dev-tracing.ts';
import { portInUse } from './errors.ts';
import type { HostedApp, HostedAppFactory } from './hosted-app.ts';
import { type HostedConsumer, startHostedConsumers } from './hosted-consumers.ts';
import { type HostedProcessor, startHostedProcessor } from './hosted-processors.ts';
import { startDevHttpServer } from './http-server.ts';
import { startLagSampler } from './lag-sampler.ts';
import { createRecentSummaries } from './recent-summaries.ts';
import { createDevSummarySink, type SummarySinkDescription } from './summary-sink.ts';

export interface DevHostOptions {
  /** base of relative paths (the data directory); default `process.cwd()` */
  readonly cwd?: string;
  /** where progress and problems are reported; default stderr */
  readonly log?: (line: string) => void;
  /** the app to host: its routes, change-feed handlers and categories (the CLI passes the sample bank app) */
  readonly app: HostedAppFactory;
  /** how to name the app in errors, e.g. its module path (default `the app`) */
  readonly appSource?: string;
  /** wraps each processor's handler, e.g. to make a stream fail in a test */
  readonly wrapHandler?: (processor: string, handler: StreamHandler) => StreamHandler;
  /** handler attempts before a failing stream is parked; default 5 */
  readonly parkAfterAttempts?: number;
  /** first retry delay of a failing stream in ms; default 200 */
  readonly retryInitialDelayMs?: number;
  /**
   * The Microsoft Entra ID credential for an account configured without a key (default `DefaultAzureCredential`);
   * given, a local endpoint without a key signs in with it too.
   */
  readonly credential?: TokenCredential;
  /** exporters and span processors for the host's tracing (unless `config.tracing` is `off`), e.g. from the environment */
  readonly tracing?: TracingOptions | undefined;
}

/** A running dev host: where everything is, and how to stop it. */
export interface DevHost {
  /** the HTTP server's base URL */
  readonly url: string;
  /** the app's API base, `<url>/api` */
  readonly apiUrl: string;
  readonly dashboardUrl: string;
  readonly cosmos: {
    readonly endpoint: string;
    readonly kind: 'local' | 'account';
    readonly databaseId: string;
    /** how the host signs in: the account key, or Microsoft Entra ID */
    readonly auth: 'key' | 'entra';
  };
  readonly summarySink: SummarySinkDescription;
  /** the directory of the summary files when the file sink is used */
  readonly summaryDirectory: string | undefined;
  readonly processors: readonly HostedProcessor[];
  /** the app's downstream consumers, when Kafka or Event Hubs is configured (none with the file sink) */
  readonly consumers: readonly HostedConsumer[];
  /** the client the host uses (for tests and tools in the same process) */
  readonly client: CosmosClient;
  /** the host's tracing (its recent spans feed the journey view); undefined when off or the SDK is missing */
  readonly tracing: Tracing | undefined;
  /** takes a lag sample now instead of waiting for the next tick */
  sample(): Promise<void>;
  close(): Promise<void>;
}

const markerFile = 'dev-host.json';

/**
 * Starts the dev host: the local Cosmos server (or the configured account), the containers, the app's HTTP API, its
 * projections and reactors on Tributary's processor, summaries to Kafka or files, and the dashboard.
 */
export async function startDevHost(config: DevHostConfig, options: DevHostOptions): Promise<DevHost> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataDir = resolve(cwd, config.dataDir);
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) =>
        log(`while stopping: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  };
  try {
    const tracing =
      config.tracing === 'off'
        ? undefined
        : await startDevTracing({ ...options.tracing, console: config.tracing === 'console' }, log);
    if (tracing) closers.push(() => tracing.stop());
    let local: LocalCosmos | undefined;
    if (!config.cosmosEndpoint) {
      await mkdir(dataDir, { recursive: true });
      local = await startLocalCosmos({
        port: config.cosmosPort,
        partitions: config.cosmosPartitions,
        dataDir: resolve(dataDir, 'cosmos'),
      }).catch(portInUse(config.cosmosPort, 'the local Cosmos server', 'COSMOS_PORT (or --cosmos-port)'));
      const server = local;
      closers.push(() => server.close());
    }
    const endpoint = local?.endpoint ?? config.cosmosEndpoint!;
    // No key for an account: Microsoft Entra ID (deployed accounts disable key auth); the emulator's key locally.
    const entra = !local && !config.cosmosKey && (options.credential !== undefined || !isLocalEndpoint(endpoint));
    const key = local?.key ?? config.cosmosKey ?? (entra ? undefined : WELL_KNOWN_EMULATOR_KEY);
    const client = createCosmosClient({
      endpoint,
      ...(key !== undefined ? { key } : {}),
      ...(options.credential !== undefined ? { credential: options.credential } : {}),
    });
    closers.push(async () => client.dispose());
    if (entra) await checkCosmosAccess(client, endpoint);
    await ensureContainers(client, { databaseId: config.databaseId });
    const database = client.database(config.databaseId);
    const containers = tributaryContainers(database);

    const store = createCosmosStore({ client, databaseId: config.databaseId });
    const recentSummaries = createRecentSummaries();
    const sink = await createDevSummarySink(config, cwd, recentSummaries);
    closers.push(() => sink.publisher.close());

    const app: HostedApp = checkHostedApp(
      await options.app({ client, databaseId: config.databaseId, containers, summaries: sink.publisher }),
      options.appSource ?? 'the app',
    );
    if (app.close) closers.push(app.close);

    // A readable name per machine and data directory; the processor makes each start's identity unique.
    const instanceId = `dev-${hostname()}-${createHash('sha256').update(dataDir).digest('hex').slice(0, 6)}`;
    const processors: HostedProcessor[] = [];
    closers.push(async () => {
      await Promise.all(processors.map((processor) => processor.stop()));
    });
    for (const definition of app.processors) {
      const handle = options.wrapHandler
        ? options.wrapHandler(definition.processorName, definition.handle)
        : definition.handle;
      processors.push(
        await startHostedProcessor(
          { ...definition, handle },
          {
            ...containers,
            instanceId,
            parkAfterAttempts: options.parkAfterAttempts ?? 5,
            retryInitialDelayMs: options.retryInitialDelayMs ?? 200,
            log,
          },
        ),
      );
    }

    const consumers: HostedConsumer[] = [];
    closers.push(async () => {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
    });
    consumers.push(
      ...(await startHostedConsumers(app.consumers ?? [], config, {
        deadLetters: containers.deadLetters,
        parkAfterAttempts: options.parkAfterAttempts ?? 5,
        retryInitialDelayMs: options.retryInitialDelayMs ?? 200,
        log,
      })),
    );

    if (config.archive === 'azurite') {
      const archive = await startDevArchive({ dataDir, port: config.archivePort, ...containers, log });
      closers.push(() => archive.close());
      log(`Archive: the archiver writes to Azurite at ${archive.url}`);
    }

    const sampler = startLagSampler(processors, config.lagSampleIntervalMs, log);
    closers.push(() => sampler.stop());
    await sampler.sample();

    const cosmos = {
      endpoint,
      kind: local ? ('local' as const) : ('account' as const),
      databaseId: config.databaseId,
      auth: entra ? ('entra' as const) : ('key' as const),
    };
    let apiUrl = '';
    const dashboard = dashboardSources({
      where: () => ({
        api: apiUrl,
        cosmos: { endpoint, kind: cosmos.kind, database: config.databaseId },
        summarySink: sink.description,
      }),
      app,
      processors,
      consumers,
      lagHistory: sampler.history,
      recentSummaries,
      store,
      publisherHealth: sink.health,
      recentSpans: tracing?.recent ? () => tracing.recent?.spans() ?? [] : undefined,
    });

    const server = await startDevHttpServer({
      host: config.host,
      port: config.port,
      app: appRequestHandler(app),
      dashboard,
      log,
      corsOrigins: config.corsOrigins,
    }).catch(portInUse(config.port, 'the API and dashboard', 'PORT (or --port)'));
    closers.push(() => server.close());
    apiUrl = `${server.url}/api`;

    const marker = resolve(dataDir, markerFile);
    if (local) {
      await writeFile(marker, JSON.stringify({ pid: process.pid, cosmosEndpoint: endpoint, url: server.url }));
      closers.push(() => rm(marker, { force: true }));
    }

    return {
      url: server.url,
      apiUrl,
      dashboardUrl: `${server.url}/`,
      cosmos,
      summarySink: sink.description,
      summaryDirectory: sink.directory,
      processors,
      consumers,
      client,
      tracing,
      sample: sampler.sample,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
