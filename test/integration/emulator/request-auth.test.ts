import type { Container } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminRequestHeaders } from '../../../src/emulator/index.ts';
import { freshEventsContainer } from '../../support/containers.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { rest } from './rest.ts';

// Attacks on the local server's authentication: dates outside the service's 15 minutes, replayed signatures, and
// browser-style or unsigned calls to the admin routes. Each asserts the answer and that nothing changed.

const cosmos = useTestCosmos();
let container: Container;
let docs: string;

beforeAll(async () => {
  const fresh = await freshEventsContainer(cosmos, 'auth');
  container = fresh.container;
  docs = `dbs/${fresh.database.id}/colls/${container.id}/docs`;
});

const minutes = (count: number) => new Date(Date.now() + count * 60_000).toUTCString();
const headers = { 'x-ms-documentdb-partitionkey': '["Stream-1"]' };
const create = (id: string, options: { date?: string; sentDate?: string }) =>
  rest(cosmos, 'POST', docs, { body: JSON.stringify({ id, p: 'Stream-1' }), headers, ...options });
const exists = async (id: string) => (await container.item(id, 'Stream-1').read()).statusCode === 200;

describe('x-ms-date', () => {
  it('answers 403 with the service message to a signature over a date long past, and writes nothing', async () => {
    const answer = await create('old', { date: 'Mon, 01 Jan 2001 00:00:00 GMT' });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      code: 'Forbidden',
      message: expect.stringContaining('The authorization token is not valid at the current time'),
    });
    expect(await exists('old')).toBe(false);
  });

  it('answers 401 to a date that is not an RFC 1123 date, and writes nothing', async () => {
    const answer = await create('nodate', { date: 'not-a-date' });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'Unauthorized', message: expect.stringContaining('RFC 1123') });
    expect(await exists('nodate')).toBe(false);
  });

  it('answers 403 to a date more than 15 minutes ahead, and accepts one 14 minutes behind', async () => {
    expect((await create('ahead', { date: minutes(16) })).status).toBe(403);
    expect(await exists('ahead')).toBe(false);
    expect((await create('behind', { date: minutes(-14) })).status).toBe(201);
  });

  it('refuses a captured signature replayed with another date (401), and writes nothing', async () => {
    const signedAt = minutes(0);
    const answer = await create('replayed', { date: signedAt, sentDate: minutes(1) });
    expect(answer.status).toBe(401);
    expect(await exists('replayed')).toBe(false);
  });
});

describe('admin routes', () => {
  const rule = JSON.stringify({ operation: 'any', status: 503 });
  const admin = (route: string, init: { method: string; body?: string; headers?: Record<string, string> }) =>
    fetch(`${cosmos.endpoint}/_emulator/${route}`, init);
  /** A read goes through unfaulted: no fault rule was added. */
  const noFault = async () => expect((await container.item('probe', 'Stream-1').read()).statusCode).toBe(404);

  it('refuse an unsigned cross-site text/plain POST of a fault rule with 403, adding nothing', async (test) => {
    requireLocal(cosmos, test);
    const answer = await admin('faults', {
      method: 'POST',
      body: rule,
      headers: { 'content-type': 'text/plain', origin: 'http://evil.example' },
    });
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({ code: 'Forbidden', message: expect.stringContaining('browser') });
    await noFault();
  });

  it('refuse a browser request even when it carries the key (Origin or Sec-Fetch-Site)', async (test) => {
    requireLocal(cosmos, test);
    const browsers: Record<string, string>[] = [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }];
    for (const browser of browsers) {
      const signed = adminRequestHeaders(cosmos.key, 'POST', 'faults');
      const answer = await admin('faults', { method: 'POST', body: rule, headers: { ...signed, ...browser } });
      expect(answer.status).toBe(403);
    }
    await noFault();
  });

  it('answer a signed body that is not JSON with 415, adding nothing', async (test) => {
    requireLocal(cosmos, test);
    const signed = adminRequestHeaders(cosmos.key, 'POST', 'faults');
    const answer = await admin('faults', {
      method: 'POST',
      body: rule,
      headers: { ...signed, 'content-type': 'text/plain' },
    });
    expect(answer.status).toBe(415);
    await noFault();
  });

  it('answer 401 without the key or with another key: faults, metrics reset and splits', async (test) => {
    const local = requireLocal(cosmos, test);
    await container.items.upsert({ id: 'counted', p: 'Stream-1' });
    const requestsBefore = local.metrics().total.requests;
    const otherKey = Buffer.from('another key').toString('base64');
    const calls = [
      { route: 'faults', method: 'POST', body: rule },
      { route: 'faults', method: 'DELETE' },
      { route: 'metrics', method: 'DELETE' },
      { route: 'metrics', method: 'GET' },
      {
        route: 'split',
        method: 'POST',
        body: JSON.stringify({ database: container.database.id, container: container.id }),
      },
    ];
    for (const { route, method, body } of calls) {
      for (const auth of [{ 'content-type': 'application/json' }, adminRequestHeaders(otherKey, method, route)]) {
        const answer = await admin(route, { method, headers: auth, ...(body ? { body } : {}) });
        expect(answer.status).toBe(401);
        expect(await answer.json()).toMatchObject({
          code: 'Unauthorized',
          message: expect.stringContaining('account key'),
        });
      }
    }
    expect(local.metrics().total.requests).toBe(requestsBefore);
    expect(await container.getFeedRanges()).toHaveLength(1);
    await noFault();
  });

  it('answer 403 to a signature over a date long past, adding nothing', async (test) => {
    requireLocal(cosmos, test);
    const stale = adminRequestHeaders(cosmos.key, 'POST', 'faults', new Date('2001-01-01T00:00:00Z'));
    const answer = await admin('faults', { method: 'POST', body: rule, headers: stale });
    expect(answer.status).toBe(403);
    await noFault();
  });

  it('serve a signed JSON call from a non-browser client', async (test) => {
    const local = requireLocal(cosmos, test);
    const signed = adminRequestHeaders(cosmos.key, 'DELETE', 'metrics');
    const answer = await admin('metrics', { method: 'DELETE', headers: signed });
    expect(answer.status).toBe(200);
    expect(local.metrics().total.requests).toBe(0);
  });
});
