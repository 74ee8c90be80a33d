import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import type { DashboardStatus, StreamPage } from '../../../src/dev/index.ts';
import { WELL_KNOWN_EMULATOR_KEY } from '../../../src/emulator/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';
import { Processors, startTestDevHost } from './dev-host-harness.ts';

let dev: Awaited<ReturnType<typeof startTestDevHost>>;
let dashboard: { url: string; stop(): Promise<number>; out: { stdout: string; stderr: string } };

/** Runs `tributary dashboard` until stopped, as a user would with COSMOS_KEY set; resolves once it serves. */
async function startDashboard(endpoint: string, key: string, databaseId: string) {
  const { io, out, interrupt } = captureIo({ COSMOS_KEY: key });
  const exit = runCli(['dashboard', '--port', '0', '--endpoint', endpoint, '--database', databaseId], io);
  for (let waited = 0; !/http:\/\/\S+\/\n/.test(out.stdout); waited += 50) {
    if (waited > 20_000) throw new Error(`tributary dashboard did not start: ${out.stderr}`);
    const early = await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 50, 'running'))]);
    if (early !== 'running') throw new Error(`tributary dashboard exited with ${early}: ${out.stderr}`);
  }
  const url = /(http:\/\/\S+)\/\n/.exec(out.stdout)![1]!;
  return {
    url,
    out,
    stop: () => {
      interrupt();
      return exit;
    },
  };
}

beforeAll(async () => {
  dev = await startTestDevHost({ local: true, poison: { processor: Processors.balance, stream: 'Account-poison' } });
  await dev.api('POST', '/api/accounts/ada/open', { owner: 'Ada' });
  await dev.api('POST', '/api/accounts/poison/open', { owner: 'Mallory' });
  expect(await waitUntilHandled(dev.processor(Processors.balance).scheduler, 'Account-poison', 1n)).toBe('parked');
  dashboard = await startDashboard(dev.host.cosmos.endpoint, WELL_KNOWN_EMULATOR_KEY, dev.config.databaseId);
});

afterAll(async () => {
  await dashboard?.stop();
  await dev?.close();
});

const getJson = async <T>(path: string): Promise<T> => (await (await fetch(`${dashboard.url}${path}`)).json()) as T;

describe('tributary dashboard: the page read-only for any database, no app', () => {
  it('says where it serves and which processors it found in the leases', () => {
    expect(dashboard.out.stdout).toContain('Tributary dashboard (read-only) for');
    for (const name of Object.values(Processors)) expect(dashboard.out.stdout).toContain(name);
  });

  it("shows the processors' leases, lag and parked streams with their errors", async () => {
    const status = await getJson<DashboardStatus>('/dashboard/api/status');
    expect(status.readOnly).toBe(true);
    expect(status.processors.map((p) => p.name).sort()).toEqual(Object.values(Processors).sort());
    for (const processor of status.processors) {
      expect(processor).toMatchObject({ observedOnly: true, kind: 'processor' });
      expect(processor.leases[0]).toMatchObject({ owner: expect.any(String), lag: expect.any(Number) });
    }
    expect(status.streams.parked).toContainEqual(
      expect.objectContaining({
        processor: Processors.balance,
        stream: 'Account-poison',
        error: expect.stringContaining('test poison'),
      }),
    );
  });

  it('refuses Replay: it changes nothing', async () => {
    const response = await fetch(`${dashboard.url}/dashboard/api/parked/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processor: Processors.balance, stream: 'Account-poison' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'ReadOnlyDashboard' });
    const status = await getJson<DashboardStatus>('/dashboard/api/status');
    expect(status.streams.parked.map((p) => p.stream)).toContain('Account-poison');
  });

  it('browses streams and runs queries; with no app it says so instead of folding states', async () => {
    const found = await getJson<StreamPage>('/dashboard/api/stream-search/0/Account-');
    expect(found.streams.map((s) => s.stream)).toEqual(['Account-ada', 'Account-poison']);
    const stream = await getJson<{ events: { type: string }[]; state: unknown }>('/dashboard/api/streams/Account-ada');
    expect(stream.events.map((e) => e.type)).toEqual(['Opened']);
    const step = await fetch(`${dashboard.url}/dashboard/api/streams/Account-ada/at/1`);
    expect(step.status).toBe(404);
    expect(await step.json()).toMatchObject({ error: 'NoFold' });
    const query = await fetch(`${dashboard.url}/dashboard/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ container: 'dead-letters', sql: 'SELECT c.stream, c.processor FROM c' }),
    });
    expect(await query.json()).toMatchObject({
      items: expect.arrayContaining([{ stream: 'Account-poison', processor: Processors.balance }]),
    });
  });

  it('keeps behind the HTTP edge, and never shows the key', async () => {
    // fetch will not send another Host: node:http will
    const foreign = await new Promise<number>((resolve, reject) => {
      get(`${dashboard.url}/dashboard/api/status`, { headers: { host: 'evil.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(foreign).toBe(403);
    const texts = await Promise.all(
      ['/dashboard/api/status', '/dashboard/api/stream-search/0'].map(async (path) =>
        (await fetch(`${dashboard.url}${path}`)).text(),
      ),
    );
    for (const text of [...texts, dashboard.out.stdout, dashboard.out.stderr]) {
      expect(text).not.toContain(WELL_KNOWN_EMULATOR_KEY);
    }
  });

  it('stops on Ctrl-C with exit code 0', async () => {
    const stopped = dashboard;
    dashboard = undefined as unknown as typeof dashboard;
    expect(await stopped.stop()).toBe(0);
    await expect(fetch(`${stopped.url}/dashboard/api/status`)).rejects.toThrow();
  });
});

describe('the read-only dashboard finds processors that start after it', () => {
  it('adds a processor once it keeps leases', async () => {
    const { startReadOnlyDashboard } = await import('../../../src/dev/dashboard-server.ts');
    const { createChangeFeedProcessor } = await import('../../../src/feed/index.ts');
    const { createStreamScheduler } = await import('../../../src/streams/index.ts');
    const { ContainerNames } = await import('../../../src/store/index.ts');
    const watching = await startReadOnlyDashboard({
      client: dev.host.client,
      databaseId: dev.config.databaseId,
      endpoint: dev.host.cosmos.endpoint,
      kind: 'local',
      port: 0,
      sampleIntervalMs: 200,
      discoverIntervalMs: 200,
      log: () => undefined,
    });
    const database = dev.host.client.database(dev.config.databaseId);
    const scheduler = createStreamScheduler({ name: 'late-reactor', handle: async () => undefined });
    const late = createChangeFeedProcessor({
      name: 'late-reactor',
      monitored: database.container(ContainerNames.events),
      leases: database.container(ContainerNames.leases),
      sink: scheduler,
      instanceId: 'late',
      startFrom: 'beginning',
    });
    try {
      expect(watching.processors).not.toContain('late-reactor');
      await late.start();
      await expect
        .poll(
          async () =>
            ((await (await fetch(`${watching.url}/dashboard/api/status`)).json()) as DashboardStatus).processors.map(
              (p) => p.name,
            ),
          { timeout: 20_000 },
        )
        .toContain('late-reactor');
    } finally {
      await late.stop();
      scheduler.close();
      await watching.close();
    }
  });
});
