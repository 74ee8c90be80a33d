import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CosmosClient } from '@azure/cosmos';
import { z } from 'zod';
import { startLocalCosmos } from '../emulator/server.ts';
import { WELL_KNOWN_EMULATOR_KEY } from '../emulator/types.ts';
import { CosmosAccessDenied, checkCosmosAccess } from '../store/access-check.ts';
import { createCosmosClient, isLocalEndpoint } from '../store/client.ts';
import type { ParsedArgs } from './command.ts';
import type { CliContext } from './context.ts';
import { CosmosKeyRefused } from './errors.ts';
import { UsageError } from './usage-error.ts';

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
  /** how requests are signed: the account key, or Microsoft Entra ID tokens */
  readonly auth: 'key' | 'entra';
  close(): Promise<void>;
}

/**
 * Connects as the options and environment say: `--endpoint`/`COSMOS_ENDPOINT` with `COSMOS_KEY`, or without a key
 * through Microsoft Entra ID (checked with one metadata read, so a missing role fails at once with the role to
 * grant); a local endpoint without a key uses the well-known emulator key. With no endpoint, the local dev data —
 * through the running dev host's server when there is one, else a local server started in this process.
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
  const dataDir = resolve(io.cwd, settings.dataDir);
  const devHost = settings.endpoint === undefined ? await runningDevHost(dataDir) : undefined;
  const remote = settings.endpoint ?? devHost?.cosmosEndpoint;
  if (remote) {
    const entra = settings.key === undefined && (io.credential !== undefined || !isLocalEndpoint(remote));
    const key = entra ? undefined : (settings.key ?? WELL_KNOWN_EMULATOR_KEY);
    const client = createCosmosClient({
      endpoint: remote,
      ...(key !== undefined ? { key } : {}),
      ...(io.credential !== undefined ? { credential: io.credential } : {}),
    });
    if (entra || settings.key !== undefined) {
      // One metadata read, so that a refused identity or COSMOS_KEY is named as such instead of Cosmos's raw text.
      try {
        await checkCosmosAccess(client, remote);
      } catch (error) {
        client.dispose();
        if (!entra && error instanceof CosmosAccessDenied) {
          throw new CosmosKeyRefused(remote, error.status, { cause: error.cause });
        }
        throw error;
      }
    }
    return {
      client,
      endpoint: remote,
      databaseId: settings.databaseId,
      description: settings.endpoint ? remote : `the running dev host's server ${remote}`,
      viaDevHost: devHost !== undefined,
      devHostUrl: devHost?.url,
      auth: entra ? 'entra' : 'key',
      async close() {
        client.dispose();
      },
    };
  }
  const server = await startLocalCosmos({ port: 0, dataDir: resolve(dataDir, 'cosmos') });
  const client = createCosmosClient({ endpoint: server.endpoint, key: server.key });
  return {
    client,
    endpoint: server.endpoint,
    databaseId: settings.databaseId,
    description: `the local dev data in ${settings.dataDir}`,
    viaDevHost: false,
    devHostUrl: undefined,
    auth: 'key',
    async close() {
      client.dispose();
      await server.close();
    },
  };
}
