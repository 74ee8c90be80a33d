/**
 * An archiver in its own process, for the kill test: the parent SIGKILLs it while it writes segments. Its blob store
 * pauses before each write (`WRITE_DELAY_MS`) so that a kill finds writes in flight. It reports `ready` over IPC and
 * the number of segments it has written after each one.
 */
import { CosmosClient } from '@azure/cosmos';
import { BlobServiceClient } from '@azure/storage-blob';
import { type ArchiveBlobs, blobContainerArchive, createArchiver, runArchiver } from '../../../src/archive/index.ts';

interface ArchiverChildConfig {
  endpoint: string;
  key: string;
  database: string;
  connectionString: string;
  container: string;
  writeDelayMs: number;
}

const config = JSON.parse(process.env.TRIBUTARY_ARCHIVER_CHILD ?? '{}') as ArchiverChildConfig;
const client = new CosmosClient({
  endpoint: config.endpoint,
  key: config.key,
  connectionPolicy: { enableEndpointDiscovery: false },
});
const database = client.database(config.database);
const inner = blobContainerArchive(
  BlobServiceClient.fromConnectionString(config.connectionString).getContainerClient(config.container),
);
const slow: ArchiveBlobs = {
  ...inner,
  list: (prefix) => inner.list(prefix),
  get: (name) => inner.get(name),
  properties: (name) => inner.properties(name),
  remove: (name) => inner.remove(name),
  async put(name, bytes, metadata) {
    await new Promise((resolve) => setTimeout(resolve, config.writeDelayMs));
    await inner.put(name, bytes, metadata);
  },
};
const archiver = createArchiver({ blobs: slow, flush: { maxDelayMs: 5, maxEvents: 20 } });
await runArchiver(archiver, {
  events: database.container('events'),
  leases: database.container('leases'),
  processor: {
    leaseTimings: { acquireIntervalMs: 100, renewIntervalMs: 200, expiryMs: 1_000 },
    pollIntervalMs: 25,
    checkpointIntervalMs: 50,
    onError: () => undefined,
  },
  scheduler: { maxConcurrentStreams: 2, maxEventsPerSpan: 3, retry: { initialDelayMs: 20, maxDelayMs: 200 } },
});
process.send?.({ type: 'ready' });
setInterval(() => process.send?.({ type: 'segments', segments: archiver.stats().segments }), 10);
