import { randomUUID } from 'node:crypto';
import { CosmosClient, type Database } from '@azure/cosmos';
import { type LocalCosmos, startLocalCosmos } from '../../src/emulator/index.ts';

/** A Cosmos endpoint for one test file: the in-process emulator, or `COSMOS_ENDPOINT`/`COSMOS_KEY` when set. */
export interface TestCosmos {
  client: CosmosClient;
  endpoint: string;
  key: string;
  /** The in-process emulator (faults, metrics, splits); undefined against an external endpoint. */
  local?: LocalCosmos;
  /** Creates a fresh, uniquely named database (deleted again on `close()` against an external endpoint). */
  database(name?: string): Promise<Database>;
  close(): Promise<void>;
}

export async function startTestCosmos(options: { partitions?: number } = {}): Promise<TestCosmos> {
  const externalEndpoint = process.env.COSMOS_ENDPOINT;
  const local = externalEndpoint
    ? undefined
    : await startLocalCosmos({ port: 0, ...(options.partitions ? { partitions: options.partitions } : {}) });
  const endpoint = local?.endpoint ?? externalEndpoint!;
  const key = local?.key ?? process.env.COSMOS_KEY ?? '';
  if (!local && !key) throw new Error('COSMOS_ENDPOINT is set but COSMOS_KEY is not: set both to test against it.');
  const client = new CosmosClient({
    endpoint,
    key,
    ...(local ? { connectionPolicy: { enableEndpointDiscovery: false } } : {}),
  });
  const created: Database[] = [];
  return {
    client,
    endpoint,
    key,
    ...(local ? { local } : {}),
    async database(name) {
      const id = `${name ?? 'test'}-${randomUUID().slice(0, 8)}`;
      const { database } = await client.databases.create({ id });
      created.push(database);
      return database;
    },
    async close() {
      if (!local) await Promise.allSettled(created.map((database) => database.delete()));
      client.dispose();
      await local?.close();
    },
  };
}

/**
 * The in-process emulator, for tests that need faults, metrics or splits. Against an external endpoint this fails
 * with a clear message, or skips the test when `TRIBUTARY_ALLOW_SKIP=1`.
 */
export function requireLocal(cosmos: TestCosmos, test: { skip(note?: string): void }): LocalCosmos {
  if (cosmos.local) return cosmos.local;
  const why = 'this test needs the in-process emulator (faults, metrics or splits) but COSMOS_ENDPOINT is set';
  if (process.env.TRIBUTARY_ALLOW_SKIP === '1') {
    test.skip(why);
    throw new Error(why);
  }
  throw new Error(`${why}; unset COSMOS_ENDPOINT or set TRIBUTARY_ALLOW_SKIP=1 to skip it.`);
}
