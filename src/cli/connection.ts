import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { z } from 'zod';
import type { OptionSpec, ParsedArgs } from './command.ts';
import type { CliContext } from './context.ts';
import { UsageError } from './usage-error.ts';

/** The options of every command that talks to Cosmos. */
export const connectionOptions: Readonly<Record<string, OptionSpec>> = {
  endpoint: {
    type: 'string',
    valueName: '<url>',
    description:
      'Cosmos DB endpoint (default: $COSMOS_ENDPOINT, else the local dev data). The key comes from $COSMOS_KEY.',
  },
  database: {
    type: 'string',
    valueName: '<id>',
    description: 'Database id (default: $COSMOS_DATABASE or "tributary").',
  },
  'data-dir': { type: 'string', valueName: '<dir>', description: 'Local dev data directory (default: .tributary).' },
};

/** An open connection to the database the command works on; `close()` also stops an in-process local server. */
export interface CosmosConnection {
  readonly client: CosmosClient;
  readonly endpoint: string;
  readonly databaseId: string;
  /** where the data is, for messages: `the local dev data in .tributary` or the endpoint */
  readonly description: string;
  /** the connection goes through a running dev host's server (whose processors are running) */
  readonly viaDevHost: boolean;
  /** the running dev host's HTTP base URL when `viaDevHost` (its dashboard API can act on its processors) */
  readonly devHostUrl: string | undefined;
  close(): Promise<void>;
}

const connectionSettings = z.object({
  endpoint: z.url().optional(),
  key: z.string().min(1).optional(),
  databaseId: z.string().min(1).default('tributary'),
  dataDir: z.string().min(1).default('.tributary'),
});

const devHostMarker = z.object({ pid: z.number().int(), cosmosEndpoint: z.url(), url: z.url() });
type DevHostMarker = z.infer<typeof devHostMarker>;

/** The dev host running on this data directory, if any: its Cosmos server holds the data. */
async function runningDevHost(dataDir: string): Promise<DevHostMarker | undefined> {
  let marker: DevHostMarker;
  try {
    marker = devHostMarker.parse(JSON.parse(await readFile(resolve(dataDir, 'dev-host.json'), 'utf8')));
  } catch {
    return undefined;
  }
  try {
    process.kill(marker.pid, 0);
    return marker;
  } catch {
    return undefined;
  }
}

/**
 * Connects as the options and environment say: `--endpoint`/`COSMOS_ENDPOINT` with `COSMOS_KEY`; otherwise the
 * local dev data — through the running dev host's server when there is one, else a local server started in this
 * process on the data directory.
 */
export async function openConnection(args: ParsedArgs, context: CliContext): Promise<CosmosConnection> {
  const { io } = context;
  const parsed = connectionSettings.safeParse({
    endpoint: args.values.endpoint ?? (io.env.COSMOS_ENDPOINT || undefined),
    key: io.env.COSMOS_KEY || undefined,
    databaseId: args.values.database ?? (io.env.COSMOS_DATABASE || undefined),
    dataDir: args.values['data-dir'] ?? (io.env.TRIBUTARY_DATA_DIR || undefined),
  });
  if (!parsed.success) {
    throw new UsageError(`Invalid connection settings: ${z.prettifyError(parsed.error)}`, context.commandPath);
  }
  const settings = parsed.data;
  const { WELL_KNOWN_EMULATOR_KEY, startLocalCosmos } = await import('../emulator/index.ts');
  const { isLoopbackEndpoint, MissingCosmosKey } = await import('../dev/index.ts');
  const dataDir = resolve(io.cwd, settings.dataDir);
  const devHost = settings.endpoint === undefined ? await runningDevHost(dataDir) : undefined;
  const remote = settings.endpoint ?? devHost?.cosmosEndpoint;
  if (remote) {
    const local = isLoopbackEndpoint(remote);
    const key = settings.key ?? (local ? WELL_KNOWN_EMULATOR_KEY : undefined);
    if (!key) throw new MissingCosmosKey(remote);
    const client = new CosmosClient({
      endpoint: remote,
      key,
      ...(local ? { connectionPolicy: { enableEndpointDiscovery: false } } : {}),
    });
    return {
      client,
      endpoint: remote,
      databaseId: settings.databaseId,
      description: settings.endpoint ? remote : `the running dev host's server ${remote}`,
      viaDevHost: devHost !== undefined,
      devHostUrl: devHost?.url,
      async close() {
        client.dispose();
      },
    };
  }
  const server = await startLocalCosmos({ port: 0, dataDir: resolve(dataDir, 'cosmos') });
  const client = new CosmosClient({
    endpoint: server.endpoint,
    key: server.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  return {
    client,
    endpoint: server.endpoint,
    databaseId: settings.databaseId,
    description: `the local dev data in ${settings.dataDir}`,
    viaDevHost: false,
    devHostUrl: undefined,
    async close() {
      client.dispose();
      await server.close();
    },
  };
}

/** Runs `work` with an open connection and always closes it. */
export async function withConnection<T>(
  args: ParsedArgs,
  context: CliContext,
  work: (connection: CosmosConnection) => Promise<T>,
): Promise<T> {
  const connection = await openConnection(args, context);
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}
