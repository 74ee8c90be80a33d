/**
 * A change-feed processor instance in its own process, for the RSS and scale-out benchmarks. Configured by the
 * TRIBUTARY_BENCH_CHILD environment variable (JSON). Reports `ready` once loaded, starts its processor on a `start`
 * message (so process start-up stays out of the timings), reports progress and memory over IPC every 25 ms, and
 * stops on a `stop` message.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { CosmosClient } from '@azure/cosmos';
import { createChangeFeedProcessor, type FeedSink } from '../../src/feed/index.ts';
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
  /**
   * Pages wait at the sink for a `go` message: instances start and balance their leases, reading at most the first
   * page of each range, before the clock runs; the reading happens inside the clock.
   */
  readonly gated?: boolean;
  /** each handler call waits this long (an I/O-like handler); default 0 (no-op) */
  readonly handlerDelayMs?: number;
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
  const delayMs = config.handlerDelayMs ?? 0;
  const scheduler = createStreamScheduler({
    name: config.name,
    handle: async (span) => {
      if (delayMs > 0) await delay(delayMs);
      handled += span.events.length;
      return undefined;
    },
  });
  const sink: FeedSink = gate
    ? {
        ...scheduler,
        ingest: async (page) => {
          await gate;
          return scheduler.ingest(page);
        },
      }
    : scheduler;
  const processor = createChangeFeedProcessor({
    name: config.name,
    instanceId: config.instanceId,
    monitored: database.container(config.events),
    leases: database.container(config.leases),
    sink,
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
    25,
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
