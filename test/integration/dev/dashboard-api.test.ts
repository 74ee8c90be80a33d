import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardStatus, StreamPage, StreamStep } from '../../../src/dev/index.ts';
import { Processors, startTestDevHost } from './dev-host-harness.ts';

let dev: Awaited<ReturnType<typeof startTestDevHost>>;

beforeAll(async () => {
  dev = await startTestDevHost({ poison: { processor: Processors.statement, stream: 'Account-poison' } });
  for (const id of ['u10', 'u2', 'u1']) await dev.api('POST', `/api/accounts/${id}/open`, { owner: id });
  await dev.api('POST', '/api/accounts/u1/deposit', { amount: 700, transactionId: 'd1' });
  await dev.api('POST', '/api/accounts/u1/deposit', { amount: 300, transactionId: 'd2' });
});

afterAll(async () => {
  await dev?.close();
});

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${dev.host.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the dashboard API for operators', () => {
  it('finds streams by prefix, in natural order, a page at a time, with versions and the requests it took', async () => {
    const page = await dev.json<StreamPage>('/dashboard/api/stream-search/0/Account-u');
    expect(page.streams).toEqual([
      { stream: 'Account-u1', version: 3 },
      { stream: 'Account-u2', version: 1 },
      { stream: 'Account-u10', version: 1 },
    ]);
    expect(page).toMatchObject({ total: 3, page: 0, limited: false });
    expect(page.requests).toBeGreaterThan(0);
    const beyond = await dev.json<StreamPage>('/dashboard/api/stream-search/1/Account-u');
    expect(beyond.streams).toEqual([]);
    const everything = await dev.json<StreamPage>('/dashboard/api/stream-search/0');
    expect(everything.total).toBeGreaterThanOrEqual(3);
  });

  it('steps through a stream: the state after a version, the state before, and the event between', async () => {
    const step = await dev.json<StreamStep>('/dashboard/api/streams/Account-u1/at/2');
    expect(step).toMatchObject({
      stream: 'Account-u1',
      version: 2,
      currentVersion: 3,
      event: { index: 1, type: 'Deposited', data: { amount: 700 } },
      state: { balance: 700 },
      previous: { balance: 0 },
      origin: 'folded from the start',
    });
    expect(step.event?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(step.requests).toBeGreaterThan(0);
    const atTime = await dev.json<StreamStep>(
      `/dashboard/api/streams/Account-u1/at-time/${encodeURIComponent(step.event!.timestamp)}`,
    );
    expect(atTime).toMatchObject({ version: 2, state: { balance: 700 }, event: { index: 1 } });
    const early = await dev.json<StreamStep>('/dashboard/api/streams/Account-u1/at-time/2000-01-01T00:00:00Z');
    expect(early.version).toBe(0);
    expect(early.event).toBeUndefined();
    const noZone = await fetch(`${dev.host.url}/dashboard/api/streams/Account-u1/at-time/2026-01-01T00:00:00`);
    expect(noZone.status).toBe(400);
    const beyond = await fetch(`${dev.host.url}/dashboard/api/streams/Account-u1/at/9`);
    expect(beyond.status).toBe(400);
    expect(await beyond.json()).toMatchObject({ error: 'VersionBeyondStream' });
    const unknown = await fetch(`${dev.host.url}/dashboard/api/streams/Other-1/at/0`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'NoFold' });
  });

  it('runs a read-only query over a container, a page at a time, with its request count', async () => {
    const first = await post('/dashboard/api/query', {
      container: 'events',
      sql: 'SELECT c.p FROM c WHERE c.id = "-1"',
    });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual(expect.arrayContaining([{ p: 'Account-u1' }]));
    expect(first.body.requests).toBeGreaterThan(0);
    const refused = await post('/dashboard/api/query', { container: 'events', sql: 'DELETE FROM c' });
    expect(refused).toMatchObject({ status: 400, body: { error: 'InvalidQuery' } });
    const nowhere = await post('/dashboard/api/query', { container: 'secrets', sql: 'SELECT * FROM c' });
    expect(nowhere).toMatchObject({ status: 400, body: { error: 'InvalidQuery' } });
    const broken = await post('/dashboard/api/query', { container: 'views', sql: 'SELECT FROM WHERE' });
    expect(broken).toMatchObject({ status: 400, body: { error: 'InvalidQuery' } });
  });

  it('pages through a query with its continuation', async () => {
    for (let n = 0; n < 55; n++) await dev.api('POST', `/api/accounts/many${n}/open`, { owner: `o${n}` });
    const sql = 'SELECT c.p FROM c WHERE c.id = "-1" AND STARTSWITH(c.p, "Account-many")';
    const first = await post('/dashboard/api/query', { container: 'events', sql });
    expect((first.body.items as unknown[]).length).toBe(50);
    expect(first.body.continuation).toEqual(expect.any(String));
    const second = await post('/dashboard/api/query', {
      container: 'events',
      sql,
      continuation: first.body.continuation,
    });
    expect((second.body.items as unknown[]).length).toBe(5);
    expect(second.body.continuation).toBeUndefined();
  });

  it('reports figures per processor, a caught-up range as such, and the summary publisher as connected', async () => {
    await expect
      .poll(
        async () => {
          await dev.host.sample();
          const status = await dev.json<DashboardStatus>('/dashboard/api/status');
          return status.processors.every((p) => p.leases.every((lease) => lease.caughtUp === true));
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    const status = await dev.json<DashboardStatus>('/dashboard/api/status');
    const handled = status.processors.map((p) => p.eventsHandled);
    expect(status.throughput.eventsHandled).toBe(Math.max(...handled));
    expect(status.processors.every((p) => p.health === 'caught-up')).toBe(true);
    expect(status.summarySink.health).toMatchObject({ state: 'connected', failures: 0 });
    const sample = status.lagHistory.at(-1)!;
    expect(Object.keys(sample.lag).sort()).toEqual(Object.values(Processors).sort());
    expect(Object.keys(sample.rate).sort()).toEqual(Object.values(Processors).sort());
  });

  it('writes a structured console line when a stream is parked, with stream, processor and error', async () => {
    await dev.api('POST', '/api/accounts/poison/open', { owner: 'Mallory' });
    await expect
      .poll(
        async () => {
          await dev.host.sample();
          return dev.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
        },
        { timeout: 20_000 },
      )
      .toContainEqual(
        expect.objectContaining({
          event: 'parked',
          processor: Processors.statement,
          stream: 'Account-poison',
          error: expect.stringContaining('test poison'),
        }),
      );
    const status = await dev.json<DashboardStatus>('/dashboard/api/status');
    expect(status.processors.find((p) => p.name === Processors.statement)?.health).toBe('parked');
    for (const row of [...status.streams.stalled, ...status.streams.failing, ...status.streams.parked]) {
      expect(row.error).toEqual(expect.any(String));
    }
  });
});
