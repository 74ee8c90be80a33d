import { Agent } from 'node:https';
import type { CosmosClient } from '@azure/cosmos';
import { localTokenCredential } from '../emulator/local-token-credential.ts';
import { startLocalCosmos } from '../emulator/server.ts';
import type { LocalCosmos, LocalCosmosOptions } from '../emulator/types.ts';
import { createCosmosClient } from '../store/client.ts';
import { ensureContainers, type TributaryContainers, tributaryContainers } from '../store/containers.ts';

/** A local Cosmos DB server for a test file, with a database and Tributary's four containers ready. */
export interface TestCosmos {
  /** the server: its endpoint and key, fault injection, request metrics, live splits */
  readonly server: LocalCosmos;
  /** a client signed with the server's key (with `disableLocalAuth`: with a `localTokenCredential` token) */
  readonly client: CosmosClient;
  readonly databaseId: string;
  readonly containers: TributaryContainers;
  /** disposes the client and stops the server (in-memory data is gone) */
  close(): Promise<void>;
}

export interface TestCosmosOptions extends Omit<LocalCosmosOptions, 'port'> {
  /** database id (default `test`) */
  readonly databaseId?: string;
}

/**
 * Starts the local Cosmos DB server in this process on a free port (in memory unless `dataDir` is given) and
 * creates the database with the `events`, `leases`, `views` and `dead-letters` containers. Use it from
 * `beforeAll`/`before` of vitest or `node:test`, and `close()` it in `afterAll`/`after`.
 */
export async function startTestCosmos(options: TestCosmosOptions = {}): Promise<TestCosmos> {
  const { databaseId = 'test', ...serverOptions } = options;
  const server = await startLocalCosmos({ ...serverOptions, port: 0 });
  // With `tls`, the client trusts the server's self-signed certificate; with `disableLocalAuth` it signs in with a
  // token from `localTokenCredential` instead of the key.
  const client = createCosmosClient({
    endpoint: server.endpoint,
    ...(options.disableLocalAuth ? { credential: localTokenCredential({ key: server.key }) } : { key: server.key }),
    ...(server.certificate ? { clientOptions: { agent: new Agent({ ca: server.certificate }) } } : {}),
  });
  try {
    await ensureContainers(client, { databaseId });
  } catch (error) {
    client.dispose();
    await server.close();
    throw error;
  }
  const database = client.database(databaseId);
  return {
    server,
    client,
    databaseId,
    containers: tributaryContainers(database),
    async close() {
      client.dispose();
      await server.close();
    },
  };
}
