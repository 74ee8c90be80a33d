/**
 * One processor instance of the fault scenarios, in its own process so that it can be killed with SIGKILL: a
 * change-feed processor feeding a stream scheduler feeding the checksum projection. Configured by the
 * TRIBUTARY_FAULT_CHILD environment variable (JSON); says `ready` over IPC once started.
 */
import { appendFileSync } from 'node:fs';
import { CosmosClient } from '@azure/cosmos';
import { createChangeFeedProcessor } from '../../../src/feed/index.ts';
import { createProjection } from '../../../src/projections/index.ts';
import { createStreamScheduler } from '../../../src/streams/index.ts';
import { checkedSink } from './checked-sink.ts';
import { applyToChecksumView, type ChecksumView } from './checksum-view.ts';

export interface FaultChildConfig {
  readonly endpoint: string;
  readonly key: string;
  readonly databaseId: string;
  readonly instanceId: string;
  readonly projection: string;
  /** a file that gets one line `stream version` per event handed to the handler (to count re-deliveries) */
  readonly recordTo?: string;
}

const config = JSON.parse(process.env.TRIBUTARY_FAULT_CHILD ?? '{}') as FaultChildConfig;
const client = new CosmosClient({
  endpoint: config.endpoint,
  key: config.key,
  connectionPolicy: { enableEndpointDiscovery: false },
});
const database = client.database(config.databaseId);
const projection = createProjection<ChecksumView>({
  name: config.projection,
  version: 1,
  container: database.container('views'),
  apply: (view, events) => applyToChecksumView(view, events),
});
const recordTo = config.recordTo;
const scheduler = createStreamScheduler({
  name: projection.processorName,
  handle:
    recordTo === undefined
      ? projection.handle
      : async (span) => {
          const outcome = await projection.handle(span);
          appendFileSync(recordTo, span.events.map((event) => `${span.stream} ${event.index}\n`).join(''));
          return outcome;
        },
});
const processor = createChangeFeedProcessor({
  name: projection.processorName,
  instanceId: config.instanceId,
  monitored: database.container('events'),
  leases: database.container('leases'),
  sink: checkedSink(scheduler, (message) => {
    console.error(`[${config.instanceId}] protocol violation: ${message}`);
    process.send?.({ type: 'violation', message });
  }),
  startFrom: 'beginning',
  leaseTimings: { acquireIntervalMs: 300, renewIntervalMs: 250, expiryMs: 1_500 },
  pollIntervalMs: 50,
  checkpointIntervalMs: 200,
  onError: (error, where) => {
    if (process.env.TRIBUTARY_FAULT_CHILD_DEBUG) console.error(`[${config.instanceId}] ${where}:`, error);
  },
});
// Orphaned (the test process died without stopping us): exit rather than run on against a vanished server.
process.on('disconnect', () => process.exit(1));
process.on('message', async (message) => {
  if (message === 'owned') {
    const { leasesAcquired, leasesStolen, leasesLost } = processor.stats();
    process.send?.({ type: 'owned', owned: processor.ownedLeases(), leasesAcquired, leasesStolen, leasesLost });
    return;
  }
  if (message !== 'stop') return;
  await processor.stop();
  scheduler.close();
  client.dispose();
  process.exit(0);
});
await processor.start();
process.send?.({ type: 'ready' });
