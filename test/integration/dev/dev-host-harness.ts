import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import bankApp from '../../../functions/dev-app.ts';
import {
  type DevHost,
  DevHostConfig,
  type DevHostOptions,
  devHostConfigFromEnv,
  startDevHost,
} from '../../../src/dev/index.ts';
import type { StreamHandler } from '../../../src/streams/index.ts';

/**
 * A dev host for one test file: its own data directory, free ports, a fresh database; against `COSMOS_ENDPOINT`
 * when that is set (like the rest of the integration suite). `poison` makes one processor fail for one stream until
 * `cure()` is called, so that the stream gets parked.
 */
export async function startTestDevHost(
  options: {
    poison?: { processor: string; stream: string };
    /** a Cosmos server that outlives the dev host (default: the host's own, or COSMOS_ENDPOINT) */
    cosmos?: { endpoint: string; key: string };
    /** publish summaries to these brokers instead of the file sink */
    kafkaBrokers?: string;
    /** always the host's own local server, even when COSMOS_ENDPOINT is set (for tests of the local data) */
    local?: boolean;
    /** span processors and exporters for the host's tracing (e.g. the SDK's in-memory exporter) */
    tracing?: DevHostOptions['tracing'];
  } = {},
) {
  const dataDir = await mkdtemp(join(tmpdir(), 'tributary-dev-'));
  const lines: string[] = [];
  const { poison } = options;
  let poisoned = poison !== undefined;
  const wrapHandler: DevHostOptions['wrapHandler'] = (processor, handler): StreamHandler => {
    if (poison === undefined || processor !== poison.processor) return handler;
    return async (span) => {
      if (poisoned && span.stream === poison.stream) throw new Error(`test poison: ${span.stream} cannot be handled`);
      return handler(span);
    };
  };
  const config = DevHostConfig.parse({
    ...devHostConfigFromEnv(options.local ? {} : process.env),
    port: 0,
    cosmosPort: 0,
    dataDir,
    databaseId: `dev-${randomUUID().slice(0, 8)}`,
    ...(options.cosmos ? { cosmosEndpoint: options.cosmos.endpoint, cosmosKey: options.cosmos.key } : {}),
    kafkaBrokers: options.kafkaBrokers,
    eventHubsConnectionString: undefined,
    lagSampleIntervalMs: 250,
  });
  const host: DevHost = await startDevHost(config, {
    app: bankApp,
    cwd: dataDir,
    log: (line) => lines.push(line),
    wrapHandler,
    tracing: options.tracing,
    parkAfterAttempts: 2,
    retryInitialDelayMs: 10,
  });
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${host.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };
  /** GETs a dashboard API path and returns its JSON, typed as the test expects it */
  const json = async <T>(path: string): Promise<T> => (await (await fetch(`${host.url}${path}`)).json()) as T;
  const processor = (name: string) => {
    const found = host.processors.find((p) => p.name === name);
    if (!found) throw new Error(`no processor ${name}; the host runs ${host.processors.map((p) => p.name).join(', ')}`);
    return found;
  };
  return {
    host,
    config,
    dataDir,
    lines,
    api,
    json,
    processor,
    cure() {
      poisoned = false;
    },
    async close() {
      await host.close();
      if (config.cosmosEndpoint && config.cosmosKey) {
        const client = new CosmosClient({ endpoint: config.cosmosEndpoint, key: config.cosmosKey });
        await client
          .database(config.databaseId)
          .delete()
          .catch(() => undefined);
        client.dispose();
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const Processors = {
  balance: 'projection-account-balance@1',
  statement: 'projection-account-statement@1',
  transfers: 'reactor-transfer-process',
  statementLines: 'reactor-statement-lines',
} as const;
