import { ChangeFeedStartFrom, type Container, StatusCodes } from '@azure/cosmos';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminRequestHeaders } from '../../../src/emulator/index.ts';
import { freshEventsContainer } from '../../support/containers.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { rest } from './rest.ts';

const cosmos = useTestCosmos();
let container: Container;
let databaseId: string;

beforeAll(async () => {
  const fresh = await freshEventsContainer(cosmos, 'faults');
  databaseId = fresh.database.id;
  container = fresh.container;
});

beforeEach(() => {
  cosmos.local?.faults.clear();
  cosmos.local?.resetMetrics();
});

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${cosmos.endpoint}/_emulator/${path}`, {
    ...init,
    headers: { ...adminRequestHeaders(cosmos.key, init.method ?? 'GET', path), ...init.headers },
  });

describe('fault injection', () => {
  it('throttles with 429 and x-ms-retry-after-ms; the SDK retries and metrics count the retries', async (test) => {
    const local = requireLocal(cosmos, test);
    local.faults.add({ operation: 'write', status: 429, count: 2, retryAfterMs: 5 });
    const created = await container.items.create({ id: 'throttled', p: 'Stream-1' });
    expect(created.statusCode).toBe(201);
    const metrics = local.metrics();
    expect(metrics.byOperation.write.requests).toBe(3);
    expect(metrics.byOperation.write.documentsWritten).toBe(1);
    expect(metrics.faultsInjected['429']).toBe(2);
  });

  it('fails requests with 503 while the rule lasts', async (test) => {
    const local = requireLocal(cosmos, test);
    await container.items.create({ id: 'r', p: 'Stream-2' });
    local.faults.add({ operation: 'read', status: 503, count: 50 });
    await expect(container.item('r', 'Stream-2').read()).rejects.toMatchObject({ code: 503 });
    local.faults.clear();
    expect((await container.item('r', 'Stream-2').read()).statusCode).toBe(200);
  });

  it('adds latency without failing the request', async (test) => {
    const local = requireLocal(cosmos, test);
    local.faults.add({ operation: 'read', latencyMs: 150, count: 1 });
    await container.items.upsert({ id: 'slow', p: 'Stream-3' });
    const started = performance.now();
    expect((await container.item('slow', 'Stream-3').read()).statusCode).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops connections; the SDK retries the read on a new connection', async (test) => {
    const local = requireLocal(cosmos, test);
    await container.items.upsert({ id: 'dropped', p: 'Stream-4' });
    local.faults.add({ operation: 'read', drop: true, count: 1 });
    expect((await container.item('dropped', 'Stream-4').read()).statusCode).toBe(200);
    expect(local.metrics().faultsInjected.drop).toBe(1);
  });

  it('only hits the operation class the rule names', async (test) => {
    const local = requireLocal(cosmos, test);
    local.faults.add({ operation: 'changefeed', status: 503, count: 100 });
    expect((await container.items.upsert({ id: 'ok', p: 'Stream-5' })).statusCode).toBeLessThan(300);
    const iterator = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
    await expect(iterator.readNext()).rejects.toMatchObject({ code: 503 });
  });

  it('accepts, applies and clears fault rules over the admin route', async (test) => {
    requireLocal(cosmos, test);
    const added = await admin('faults', {
      method: 'POST',
      body: JSON.stringify({ operation: 'any', status: 408, count: 100 }),
    });
    expect(added.status).toBe(201);
    await expect(container.item('x', 'Stream-6').read()).rejects.toMatchObject({ code: 408 });
    expect((await admin('faults', { method: 'DELETE' })).status).toBe(200);
    expect((await container.item('x', 'Stream-6').read()).statusCode).toBe(404);
  });

  it('refuses an invalid fault rule with 400 and a JSON body', async (test) => {
    requireLocal(cosmos, test);
    const response = await admin('faults', { method: 'POST', body: JSON.stringify({ operation: 'everything' }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'BadRequest' });
  });

  it('splits a range over the admin route', async (test) => {
    requireLocal(cosmos, test);
    const { container: splitMe } = await cosmos.client
      .database(databaseId)
      .containers.create({ id: 'split-me', partitionKey: { paths: ['/p'] } });
    const response = await admin('split', {
      method: 'POST',
      body: JSON.stringify({ database: databaseId, container: 'split-me' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ children: ['1', '2'] });
    expect(await splitMe.getFeedRanges()).toHaveLength(2);
  });
});

describe('admin routes', () => {
  it('answers a POSTed 429 rule with x-ms-retry-after-ms on the wire, as the rule says', async (test) => {
    requireLocal(cosmos, test);
    await container.items.upsert({ id: 'wire', p: 'Stream-7' });
    const added = await admin('faults', {
      method: 'POST',
      body: JSON.stringify({ operation: 'read', status: 429, count: 1, retryAfterMs: 1234 }),
    });
    expect(added.status).toBe(201);
    const path = `dbs/${databaseId}/colls/events/docs/wire`;
    const headers = { 'x-ms-documentdb-partitionkey': '["Stream-7"]' };
    const throttled = await rest(cosmos, 'GET', path, { headers });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-ms-retry-after-ms')).toBe('1234');
    expect(throttled.body).toMatchObject({ code: 'TooManyRequests' });
    expect((await rest(cosmos, 'GET', path, { headers })).status).toBe(200);
  });

  it('delays requests by a POSTed latencyMs and lets them succeed', async (test) => {
    requireLocal(cosmos, test);
    await container.items.upsert({ id: 'late', p: 'Stream-8' });
    await admin('faults', { method: 'POST', body: JSON.stringify({ operation: 'read', latencyMs: 120, count: 1 }) });
    const started = performance.now();
    expect((await container.item('late', 'Stream-8').read()).statusCode).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('splits the named range, and answers 404 for an unknown container or range', async (test) => {
    requireLocal(cosmos, test);
    await cosmos.client.database(databaseId).containers.create({ id: 'split-named', partitionKey: { paths: ['/p'] } });
    const split = (body: object) => admin('split', { method: 'POST', body: JSON.stringify(body) });
    const first = await split({ database: databaseId, container: 'split-named' });
    expect(await first.json()).toEqual({ children: ['1', '2'] });
    const second = await split({ database: databaseId, container: 'split-named', rangeId: '2' });
    expect(await second.json()).toEqual({ children: ['3', '4'] });
    const ranges = await cosmos.client.database(databaseId).container('split-named').getFeedRanges();
    expect(ranges).toHaveLength(3);
    for (const missing of [
      { database: databaseId, container: 'no-such-container' },
      { database: databaseId, container: 'split-named', rangeId: '0' },
    ]) {
      const response = await split(missing);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'NotFound' });
    }
  });

  it('answers malformed JSON with 400 and unknown admin routes with 404, both with a JSON body', async (test) => {
    requireLocal(cosmos, test);
    const malformed = await admin('faults', { method: 'POST', body: '{"operation": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'BadRequest' });
    const missing = await admin('split', { method: 'POST', body: '{}' });
    expect(missing.status).toBe(400);
    const unknown = await admin('reboot', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NotFound' });
  });

  it('resets the metrics over DELETE /_emulator/metrics', async (test) => {
    const local = requireLocal(cosmos, test);
    await container.items.upsert({ id: 'counted', p: 'Stream-9' });
    expect(local.metrics().total.requests).toBeGreaterThan(0);
    expect((await admin('metrics', { method: 'DELETE' })).status).toBe(200);
    expect(local.metrics().total.requests).toBe(0);
  });
});

describe('metrics', () => {
  it('counts requests, documents and bytes per operation type', async (test) => {
    const local = requireLocal(cosmos, test);
    await container.items.create({ id: 'm1', p: 'Metrics' });
    await container.items.batch(
      [
        { operationType: 'Create', resourceBody: { id: 'm2', p: 'Metrics' } },
        { operationType: 'Create', resourceBody: { id: 'm3', p: 'Metrics' } },
      ],
      'Metrics',
    );
    await container.item('m1', 'Metrics').read();
    await container.items.query('SELECT * FROM c', { partitionKey: 'Metrics' }).fetchAll();
    const iterator = container.items.getChangeFeedIterator({
      changeFeedStartFrom: ChangeFeedStartFrom.Beginning('Metrics'),
    });
    while ((await iterator.readNext()).statusCode !== StatusCodes.NotModified) {
      // drain
    }
    const { byOperation, total } = local.metrics();
    expect(byOperation.write).toMatchObject({ requests: 1, documentsWritten: 1 });
    expect(byOperation.batch).toMatchObject({ requests: 1, documentsWritten: 2 });
    expect(byOperation.read).toMatchObject({ requests: 1, documentsRead: 1 });
    expect(byOperation.query.documentsRead).toBe(3);
    expect(byOperation.changefeed.documentsRead).toBe(3);
    expect(byOperation.write.bytesIn).toBeGreaterThan(0);
    expect(byOperation.read.bytesOut).toBeGreaterThan(0);
    expect(total.requests).toBeGreaterThanOrEqual(6);
    const overHttp = (await (await admin('metrics')).json()) as {
      byOperation: { batch: { documentsWritten: number } };
    };
    expect(overHttp.byOperation.batch.documentsWritten).toBe(2);
  });

  it('starts from zero after resetMetrics()', async (test) => {
    const local = requireLocal(cosmos, test);
    await container.items.upsert({ id: 'm4', p: 'Metrics' });
    local.resetMetrics();
    expect(local.metrics().total).toEqual({
      requests: 0,
      documentsRead: 0,
      documentsWritten: 0,
      bytesIn: 0,
      bytesOut: 0,
    });
  });
});
