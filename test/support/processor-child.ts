/**
 * A change-feed processor in its own process, for crash tests: the parent SIGKILLs it mid-batch and starts another.
 * Every handled event is appended synchronously to `LOG` as `<instance> <stream> <version>` (so a kill leaves no
 * half-written line); pages are handled slowly (`HANDLE_DELAY_MS` per page) so that a kill finds pages in flight.
 * SIGTERM stops the processor gracefully. Configuration comes from the environment (see `childEnvironment`).
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { CosmosClient } from '@azure/cosmos';
import { createChangeFeedProcessor, type FeedPage } from '../../src/feed/index.ts';

export interface ChildSettings {
  endpoint: string;
  key: string;
  database: string;
  events: string;
  leases: string;
  name: string;
  instanceId: string;
  log: string;
  handleDelayMs: number;
  maxItemsPerPage: number;
  expiryMs: number;
  /** the processor's `startFrom`; default 'beginning' */
  startFrom?: 'beginning' | 'now';
  /** default 100 ms; a long interval leaves a killed instance without a checkpoint written while reading */
  checkpointIntervalMs?: number;
}

export function childEnvironment(settings: ChildSettings): Record<string, string> {
  return { TRIBUTARY_CHILD: JSON.stringify(settings) };
}

async function main(settings: ChildSettings) {
  const client = new CosmosClient({
    endpoint: settings.endpoint,
    key: settings.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const database = client.database(settings.database);
  // The write position per stream of this process: re-delivered events it has already seen are dropped.
  const positions = new Map<string, number>();
  const chains = new Map<string, Promise<void>>();
  const handle = async (page: FeedPage) => {
    await delay(settings.handleDelayMs);
    for (const document of page.documents) {
      const { p, i, e } = document;
      if (typeof p !== 'string' || typeof i !== 'number' || !Array.isArray(e)) continue;
      for (let version = i; version < i + e.length; version += 1) {
        if (version < (positions.get(p) ?? 0)) continue;
        appendFileSync(settings.log, `${settings.instanceId} ${p} ${version}\n`);
        positions.set(p, version + 1);
      }
    }
  };
  const processor = createChangeFeedProcessor({
    name: settings.name,
    monitored: database.container(settings.events),
    leases: database.container(settings.leases),
    instanceId: settings.instanceId,
    leaseTimings: { acquireIntervalMs: 100, renewIntervalMs: 200, expiryMs: settings.expiryMs },
    pollIntervalMs: 25,
    checkpointIntervalMs: settings.checkpointIntervalMs ?? 100,
    startFrom: settings.startFrom ?? 'beginning',
    maxItemsPerPage: settings.maxItemsPerPage,
    sink: {
      async ingest(page) {
        const handled = (chains.get(page.leaseToken) ?? Promise.resolve()).then(() => handle(page));
        chains.set(page.leaseToken, handled);
        return { handled };
      },
      revoke() {},
    },
  });
  process.on('SIGTERM', () => {
    void processor.stop().then(() => process.exit(0));
  });
  await processor.start();
  process.stdout.write('started\n');
}

const raw = process.env.TRIBUTARY_CHILD;
if (raw !== undefined) {
  main(JSON.parse(raw) as ChildSettings).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
