import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { feedContainers, waitUntil } from './fixtures.ts';
import type { LeaseChildReport, LeaseChildSettings } from './lease-child.ts';

const childEntry = fileURLToPath(new URL('./lease-child.ts', import.meta.url));
const cosmos = useTestCosmos({ partitions: 4 });
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A processor in its own process; `latest` is its last report. */
function startInstance(settings: LeaseChildSettings) {
  const child = fork(childEntry, [], {
    env: { ...process.env, TRIBUTARY_LEASE_CHILD: JSON.stringify(settings) },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const instance = { latest: undefined as LeaseChildReport | undefined, reports: [] as LeaseChildReport[] };
  child.on('message', (message) => {
    instance.latest = message as LeaseChildReport;
    instance.reports.push(instance.latest);
  });
  const stop = async () => {
    child.send('stop');
    await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  };
  return Object.assign(instance, { stop });
}

const settingsFor = async (instanceId: string, skewMs = 0): Promise<LeaseChildSettings> => ({
  endpoint: cosmos.endpoint,
  key: cosmos.key,
  database: (await databaseReady).id,
  name: 'leasing',
  instanceId,
  skewMs,
  expiryMs: 1_500,
});
let databaseReady: Promise<{ id: string }>;

describe('lease ownership across processes', () => {
  it('settles two instances on an even share when one clock runs 5 s ahead: no lease ping-pongs', async () => {
    databaseReady = feedContainers(cosmos).then(({ database }) => database);
    const punctual = startInstance(await settingsFor('punctual'));
    await waitUntil('the first instance holds every lease', () => punctual.latest?.owned.length === 4);
    const ahead = startInstance(await settingsFor('ahead', 5_000));
    await waitUntil('the second instance holds two leases', () => ahead.latest?.owned.length === 2, 20_000);
    // many expiry periods with both running
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await Promise.all([punctual.stop(), ahead.stop()]);
    const acquired = (punctual.latest?.leasesAcquired ?? 0) + (ahead.latest?.leasesAcquired ?? 0);
    const lost = (punctual.latest?.leasesLost ?? 0) + (ahead.latest?.leasesLost ?? 0);
    expect({ acquired, lost }).toEqual({ acquired: 6, lost: 2 });
  }, 60_000);

  it('gives two processes started with the same settings distinct identities and disjoint leases', async () => {
    databaseReady = feedContainers(cosmos).then(({ database }) => database);
    const settings = await settingsFor('twin');
    const one = startInstance(settings);
    await waitUntil('the first process holds every lease', () => one.latest?.owned.length === 4);
    const two = startInstance(settings);
    await waitUntil(
      'the leases are split',
      () => two.latest?.owned.length === 2 && one.latest?.owned.length === 2,
      20_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const [first, second] = [one.latest!, two.latest!];
    await Promise.all([one.stop(), two.stop()]);
    expect(first.instanceId).not.toBe(second.instanceId);
    expect(first.instanceId.startsWith('twin-')).toBe(true);
    expect(new Set([...first.owned, ...second.owned]).size).toBe(4);
  }, 60_000);
});
