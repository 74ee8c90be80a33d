/**
 * A processor instance in its own process for the lease-identity tests, optionally with its wall clock skewed
 * (`skewMs`, applied to `Date` before anything else loads). It reports its owned leases and lease counters over IPC
 * every 100 ms and stops gracefully on 'stop'. Configured by TRIBUTARY_LEASE_CHILD (JSON).
 */
export interface LeaseChildSettings {
  readonly endpoint: string;
  readonly key: string;
  readonly database: string;
  readonly name: string;
  readonly instanceId: string;
  readonly skewMs: number;
  readonly expiryMs: number;
}

export interface LeaseChildReport {
  readonly instanceId: string;
  readonly owned: readonly string[];
  readonly leasesAcquired: number;
  readonly leasesLost: number;
}

function skewClock(skewMs: number) {
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args: []) {
      if (args.length === 0) super(RealDate.now() + skewMs);
      else super(...(args as unknown as [number]));
    }
    static override now() {
      return RealDate.now() + skewMs;
    }
  }
  globalThis.Date = SkewedDate as DateConstructor;
}

async function main(settings: LeaseChildSettings) {
  skewClock(settings.skewMs);
  const { CosmosClient } = await import('@azure/cosmos');
  const { createChangeFeedProcessor } = await import('../../../src/feed/index.ts');
  const client = new CosmosClient({
    endpoint: settings.endpoint,
    key: settings.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const database = client.database(settings.database);
  const processor = createChangeFeedProcessor({
    name: settings.name,
    instanceId: settings.instanceId,
    monitored: database.container('events'),
    leases: database.container('leases'),
    leaseTimings: { acquireIntervalMs: 100, renewIntervalMs: 200, expiryMs: settings.expiryMs },
    pollIntervalMs: 50,
    onError: () => undefined,
    sink: { ingest: async () => ({ handled: Promise.resolve() }), revoke() {} },
  });
  await processor.start();
  const report = () => {
    const stats = processor.stats();
    const message: LeaseChildReport = {
      instanceId: stats.instanceId,
      owned: processor.ownedLeases(),
      leasesAcquired: stats.leasesAcquired,
      leasesLost: stats.leasesLost,
    };
    process.send?.(message);
  };
  const timer = setInterval(report, 100);
  process.on('disconnect', () => process.exit(1));
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    clearInterval(timer);
    report();
    await processor.stop();
    client.dispose();
    process.exit(0);
  });
}

const raw = process.env.TRIBUTARY_LEASE_CHILD;
if (raw !== undefined) {
  main(JSON.parse(raw) as LeaseChildSettings).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
