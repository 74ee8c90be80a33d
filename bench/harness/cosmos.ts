import { CosmosClient, type Database } from '@azure/cosmos';
import { type LocalCosmos, type OpMetrics, startLocalCosmos } from '../../src/emulator/index.ts';

/** A local Cosmos server for one suite, with a client and cost counters. */
export interface BenchCosmos {
  readonly local: LocalCosmos;
  readonly client: CosmosClient;
  database(name: string): Promise<Database>;
  /** Runs `work` and returns the emulator's cost counters for exactly that work. */
  cost<T>(work: () => Promise<T>): Promise<{ result: T; cost: OpMetrics }>;
  close(): Promise<void>;
}

export async function startBenchCosmos(options: { partitions?: number; dataDir?: string } = {}): Promise<BenchCosmos> {
  const local = await startLocalCosmos({ port: 0, partitions: options.partitions ?? 1, dataDir: options.dataDir });
  const client = new CosmosClient({
    endpoint: local.endpoint,
    key: local.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  return {
    local,
    client,
    database: async (name) => (await client.databases.createIfNotExists({ id: name })).database,
    cost: async (work) => {
      const before = structuredClone(local.metrics().total);
      const result = await work();
      return { result, cost: difference(local.metrics().total, before) };
    },
    close: async () => {
      client.dispose();
      await local.close();
    },
  };
}

export function difference(after: OpMetrics, before: OpMetrics): OpMetrics {
  return {
    requests: after.requests - before.requests,
    documentsRead: after.documentsRead - before.documentsRead,
    documentsWritten: after.documentsWritten - before.documentsWritten,
    bytesIn: after.bytesIn - before.bytesIn,
    bytesOut: after.bytesOut - before.bytesOut,
  };
}
