/**
 * A change-feed processor instance in its own process, for the RSS and scale-out benchmarks. Configured by the
 * TRIBUTARY_BENCH_CHILD environment variable (JSON). Reports `ready` once loaded, starts its processor on a `start`
 * message (so process start-up stays out of the timings), reports progress and memory over IPC every 100 ms, and
 * stops on a `stop` message.
 */
import { readFileSync } from 'node:fs';
import { CosmosClient } from '@azure/cosmos';
import { createChangeFeedProcessor } from '../../src/feed/index.ts';
import { createStreamScheduler } from '../../src/streams/index.ts';

export interface ProcessorChildConfig {
  readonly endpoint: string;
  readonly key: string;
  readonly databaseId: string;
  readonly events: string;
  readonly leases: string;
  readonly name: string;
  readonly instanceId: string;
  /** page size asked of the change feed */
  readonly maxItemsPerPage: number;
  /** handlers wait for a `go` message: instances can start and balance their leases before the clock runs */
  readonly gated?: boolean;
}

export type ProcessorChildMessage =
  | { readonly type: 'ready'; readonly handled: number; readonly peakRssMb: number }
  | {
      readonly type: 'progress';
      readonly handled: number;
      readonly rssMb: number;
      readonly peakRssMb: number;
      readonly leases: number;
    }
  | { readonly type: 'stopped'; readonly handled: number; readonly peakRssMb: number };

/** Peak resident set size of this process (VmHWM), in MB; falls back to the current RSS off Linux. */
export function peakRssMb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage.rss() / 2 ** 20;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.TRIBUTARY_BENCH_CHILD ?? '{}') as ProcessorChildConfig;
  const client = new CosmosClient({
    endpoint: config.endpoint,
    key: config.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const database = client.database(config.databaseId);
  let handled = 0;
  let open: () => void = () => {};
  const gate = config.gated
    ? new Promise<void>((resolve) => {
        open = resolve;
      })
    : undefined;
  const scheduler = createStreamScheduler({
    name: config.name,
    handle: async (span) => {
      if (gate) await gate;
      handled += span.events.length;
      return undefined;
    },
  });
  const processor = createChangeFeedProcessor({
    name: config.name,
    instanceId: config.instanceId,
    monitored: database.container(config.events),
    leases: database.container(config.leases),
    sink: scheduler,
    startFrom: 'beginning',
    maxItemsPerPage: config.maxItemsPerPage,
    // quick lease balancing, so that instances share the ranges within a second or two
    leaseTimings: { acquireIntervalMs: 250, renewIntervalMs: 200, expiryMs: 3_000 },
  });
  const send = (message: ProcessorChildMessage) => process.send?.(message);
  const timer = setInterval(
    () =>
      send({
        type: 'progress',
        handled,
        rssMb: process.memoryUsage.rss() / 2 ** 20,
        peakRssMb: peakRssMb(),
        leases: processor.stats().leases.length,
      }),
    100,
  );
  // Orphaned (the benchmark died without stopping us): exit rather than run on.
  process.on('disconnect', () => process.exit(1));
  process.on('message', async (message) => {
    if (message === 'start') {
      await processor.start();
      return;
    }
    if (message === 'go') {
      open();
      return;
    }
    if (message !== 'stop') return;
    clearInterval(timer);
    await processor.stop();
    send({ type: 'stopped', handled, peakRssMb: peakRssMb() });
    client.dispose();
    process.disconnect?.();
    process.exit(0);
  });
  send({ type: 'ready', handled, peakRssMb: peakRssMb() });
}

await main();
