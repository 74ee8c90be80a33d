import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bankApp from '../../../functions/dev-app.ts';
import { type DashboardStatus, describeDevHost, startDevHost } from '../../../src/dev/index.ts';
import { WELL_KNOWN_EMULATOR_KEY } from '../../../src/emulator/index.ts';
import { readFileSummaries } from '../../../src/summaries/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { Processors, startTestDevHost } from './dev-host-harness.ts';

interface StreamJson {
  events: { type: string }[];
  unfolds: { type: string; version: number }[];
  state: unknown;
}

let dev: Awaited<ReturnType<typeof startTestDevHost>>;

beforeAll(async () => {
  dev = await startTestDevHost({ poison: { processor: Processors.balance, stream: 'Account-poison' } });
});

afterAll(async () => {
  await dev?.close();
});

describe('the dev host', () => {
  it('serves the bank API, projects the views and writes statement lines to the local summary file', async () => {
    expect((await dev.api('POST', '/api/accounts/alice/open', { owner: 'Alice' })).status).toBe(200);
    expect((await dev.api('POST', '/api/accounts/alice/deposit', { amount: 10_000, transactionId: 'd1' })).status).toBe(
      200,
    );
    expect((await dev.api('POST', '/api/accounts/bob/open', { owner: 'Bob' })).status).toBe(200);
    const transfer = await dev.api('POST', '/api/transfers', {
      fromAccountId: 'alice',
      toAccountId: 'bob',
      amount: 2_500,
    });
    expect(transfer.status).toBe(202);

    // Bob's stream: Opened (0), TransferCredited (1). Wait until the views and the summaries have handled it.
    expect(await waitUntilHandled(dev.processor(Processors.balance).scheduler, 'Account-bob', 2n)).toBe('handled');
    expect(await waitUntilHandled(dev.processor(Processors.statementLines).scheduler, 'Account-bob', 2n)).toBe(
      'handled',
    );

    const bob = await dev.api('GET', '/api/accounts/bob');
    expect(bob).toEqual({ status: 200, body: expect.objectContaining({ accountId: 'bob', balance: 2_500 }) });
    const summaries = await readFileSummaries(dev.host.summaryDirectory!, 'statement-lines');
    expect(summaries.map((s) => s.value)).toContainEqual(
      expect.objectContaining({ accountId: 'bob', kind: 'transfer-in', amount: 2_500, counterpartyAccountId: 'alice' }),
    );
    expect(summaries.map((s) => s.value)).toContainEqual(
      expect.objectContaining({ accountId: 'alice', kind: 'deposit', amount: 10_000, transactionId: 'd1' }),
    );
  });

  it('answers bad input (body, malformed escapes in the path) with 400, unknown routes with 404 and oversized bodies with 413', async () => {
    expect((await dev.api('POST', '/api/accounts/carol/deposit', { amount: 'lots' })).status).toBe(400);
    expect((await dev.api('GET', '/api/nothing-here')).status).toBe(404);
    const malformed = await dev.api('POST', '/api/accounts/%E0%A4%A/deposit', { amount: 1 });
    expect(malformed).toMatchObject({ status: 400, body: { error: 'InvalidRequest' } });
    const malformedDashboard = await dev.api('GET', '/dashboard/api/streams/Account-%E0%A4%A');
    expect(malformedDashboard).toMatchObject({ status: 400, body: { error: 'InvalidRequest' } });
    const huge = await fetch(`${dev.host.url}/api/accounts/carol/deposit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(2_000_000),
    });
    expect(huge.status).toBe(413);
  });

  it('reports processors, leases, lag, throughput and recent summaries on the dashboard API', async () => {
    await dev.host.sample();
    const response = await fetch(`${dev.host.url}/dashboard/api/status`);
    expect(response.status).toBe(200);
    const status = (await response.json()) as DashboardStatus;
    expect(status).toMatchObject({
      api: `${dev.host.url}/api`,
      cosmos: { kind: dev.config.cosmosEndpoint ? 'account' : 'local', database: dev.config.databaseId },
      summarySink: { kind: 'file' },
      throughput: { eventsHandled: expect.any(Number), eventsPerSecond: expect.any(Number) },
    });
    expect(status.processors.map((p) => p.name).sort()).toEqual(Object.values(Processors).sort());
    for (const processor of status.processors)
      expect(processor.leases[0]).toMatchObject({ owner: expect.any(String), lag: expect.any(Number) });
    expect(status.lagHistory.length).toBeGreaterThan(0);
    expect(status.recentSummaries).toContainEqual(
      expect.objectContaining({ topic: 'statement-lines', key: 'Account-bob' }),
    );
  });

  it('never puts the Cosmos key in the banner or the dashboard API', async () => {
    const key = dev.config.cosmosKey ?? WELL_KNOWN_EMULATOR_KEY;
    expect(describeDevHost(dev.host)).not.toContain(key);
    const everything = await Promise.all(
      ['/dashboard/api/status', '/dashboard/api/categories', '/dashboard/api/streams/Account-alice'].map(async (path) =>
        (await fetch(`${dev.host.url}${path}`)).text(),
      ),
    );
    for (const text of everything) expect(text).not.toContain(key);
  });

  it('browses a stream: its events, unfolds and folded state', async () => {
    expect(await dev.json('/dashboard/api/categories')).toEqual({ categories: ['Account', 'Transfer'] });
    const listed = await dev.json<{ streams: unknown[] }>('/dashboard/api/categories/Account/streams');
    expect(listed.streams).toContainEqual({ stream: 'Account-alice', version: 4 });
    const alice = await dev.json<StreamJson>('/dashboard/api/streams/Account-alice');
    expect(alice.events.map((e) => e.type)).toEqual(['Opened', 'Deposited', 'TransferDebited', 'TransferSettled']);
    expect(alice.unfolds).toContainEqual(expect.objectContaining({ type: 'Snapshotted', version: 4 }));
    expect(alice.state).toMatchObject({ status: 'open', owner: 'Alice', balance: 7_500 });
    const invalid = await fetch(`${dev.host.url}/dashboard/api/streams/nodash`);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: 'InvalidStreamName' });
  });

  it('parks a stream whose handler keeps failing, and replays it after the fix through the dashboard API', async () => {
    await dev.api('POST', '/api/accounts/poison/open', { owner: 'Mallory' });
    expect(await waitUntilHandled(dev.processor(Processors.balance).scheduler, 'Account-poison', 1n)).toBe('parked');
    const status = await dev.json<DashboardStatus>('/dashboard/api/status');
    expect(status.streams.parked).toContainEqual(
      expect.objectContaining({
        processor: Processors.balance,
        stream: 'Account-poison',
        error: expect.stringContaining('test poison'),
      }),
    );

    dev.cure();
    const replay = await fetch(`${dev.host.url}/dashboard/api/parked/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processor: Processors.balance, stream: 'Account-poison' }),
    });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ message: expect.stringContaining('Replayed Account-poison') });
    expect(await dev.api('GET', '/api/accounts/poison')).toMatchObject({ status: 200, body: { owner: 'Mallory' } });
    const after = await dev.json<DashboardStatus>('/dashboard/api/status');
    expect(after.streams.parked).toEqual([]);
  });

  it('refuses a replay request without a processor and stream', async () => {
    const response = await fetch(`${dev.host.url}/dashboard/api/parked/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(400);
  });

  it('refuses a replay request that is not JSON, so that another web page cannot trigger one', async () => {
    const body = JSON.stringify({ processor: Processors.balance, stream: 'Account-alice' });
    const response = await fetch(`${dev.host.url}/dashboard/api/parked/replay`, { method: 'POST', body });
    expect(response.status).toBe(415);
  });

  it('stops cleanly, and a new host on the same data directory finds the accounts again', async () => {
    const marker = join(dev.dataDir, 'dev-host.json');
    expect(existsSync(marker)).toBe(!dev.config.cosmosEndpoint);
    await dev.host.close();
    expect(existsSync(marker)).toBe(false);
    const again = await startDevHost(dev.config, { app: bankApp, cwd: dev.dataDir, log: () => undefined });
    try {
      const response = await fetch(`${again.url}/api/accounts/alice`);
      expect(await response.json()).toMatchObject({ accountId: 'alice', balance: 7_500 });
    } finally {
      await again.close();
    }
    dev.host = again;
  });
});
