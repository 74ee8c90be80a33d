/**
 * The dev host's HTTP edge, on its real server with a recording app behind it: which requests reach a route at all.
 * Every refused request must leave the app untouched (no call recorded).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardSources, DashboardStatus } from '../../../src/dev/dashboard-model.ts';
import type { EdgeRequest } from '../../../src/dev/http-exchange.ts';
import { type DevHttpServer, startDevHttpServer } from '../../../src/dev/http-server.ts';
import { type RawAnswer, rawHttp, rawRequest } from '../../support/raw-http.ts';

const calls: EdgeRequest[] = [];
const replays: string[] = [];
const timeouts = { headersMs: 400, bodyIdleMs: 300, bodyMs: 800 };
const corsOrigin = 'http://localhost:5173';
let server: DevHttpServer;
let port: number;

const dashboard: DashboardSources = {
  status: async () => ({ ok: true }) as unknown as DashboardStatus,
  categories: () => ['Account'],
  listStreams: async () => [],
  readStream: async () => {
    throw new Error('not in this test');
  },
  findStreams: async () => {
    throw new Error('not in this test');
  },
  streamAt: async () => undefined,
  query: async () => {
    throw new Error('not in this test');
  },
  replayParked: async (processor, stream) => {
    replays.push(`${processor}/${stream}`);
    return `Replayed ${stream}.`;
  },
  journey: (stream, index) => ({ stream, index, tracing: false, found: false, hops: [] }),
};

beforeAll(async () => {
  server = await startDevHttpServer({
    host: '127.0.0.1',
    port: 0,
    app: {
      owns: (path) => path.startsWith('/api/'),
      serve: async (request) => {
        calls.push(request);
        return { status: 200, headers: { etag: '"1"' }, body: { method: request.method, body: request.body } };
      },
    },
    dashboard,
    log: () => undefined,
    corsOrigins: [corsOrigin],
    timeouts,
  });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.close();
});

const raw = (parts: readonly (string | Buffer | number)[]) => rawHttp(port, parts);
const request = (
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
) => rawRequest(port, method, path, options);

async function refusedUntouched(answer: Promise<RawAnswer>, status: number, error: string) {
  const before = calls.length + replays.length;
  const { status: got, headers, body } = await answer;
  expect(got, body).toBe(status);
  expect(headers['content-type']).toMatch(/application\/json/);
  expect(JSON.parse(body)).toEqual({ error, message: expect.any(String) });
  expect(calls.length + replays.length).toBe(before);
}

describe('the dev host’s HTTP edge', () => {
  it('answers only requests that name it by a loopback name and its port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect((await request('GET', '/api/x', { headers: { host } })).status, host).toBe(200);
    }
    for (const host of [
      'attacker.example',
      `attacker.example:${port}`,
      '127.0.0.1',
      `127.0.0.1:${port + 1}`,
      'localhost',
    ]) {
      await refusedUntouched(request('GET', '/api/x', { headers: { host } }), 403, 'HostNotAllowed');
      await refusedUntouched(request('GET', '/dashboard/api/status', { headers: { host } }), 403, 'HostNotAllowed');
      await refusedUntouched(
        request('POST', '/dashboard/api/parked/replay', { headers: { host }, body: '{"processor":"p","stream":"s"}' }),
        403,
        'HostNotAllowed',
      );
    }
  });

  it('refuses a request without a Host like one with a foreign Host', async () => {
    await refusedUntouched(request('GET', '/api/x', { headers: { host: '' } }), 403, 'HostNotAllowed');
  });

  it('answers requests node:http cannot parse with the same error body, and closes the connection', async () => {
    await refusedUntouched(raw(['NOT HTTP AT ALL\r\n\r\n']), 400, 'BadRequest');
    const huge = `GET /api/x HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`;
    await refusedUntouched(raw([huge]), 431, 'RequestHeadersTooLarge');
  });

  it('refuses state-changing requests from a foreign origin, and takes them from its own pages and from no origin', async () => {
    const body = '{"amount":1}';
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`, `https://localhost:${port}`]) {
      await refusedUntouched(request('POST', '/api/a/deposit', { headers: { origin }, body }), 403, 'OriginNotAllowed');
      await refusedUntouched(
        request('POST', '/dashboard/api/parked/replay', {
          headers: { origin },
          body: '{"processor":"p","stream":"s"}',
        }),
        403,
        'OriginNotAllowed',
      );
    }
    expect(
      (await request('POST', '/api/a/deposit', { headers: { origin: `http://localhost:${port}` }, body })).status,
    ).toBe(200);
    expect((await request('POST', '/api/a/deposit', { body })).status).toBe(200);
  });

  it('takes state-changing requests only as application/json in UTF-8 (415 otherwise)', async () => {
    const body = '{"amount":1}';
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/jsonp',
      '',
    ]) {
      await refusedUntouched(
        request('POST', '/api/a/deposit', { headers: { 'content-type': type }, body }),
        415,
        'UnsupportedMediaType',
      );
    }
    const headers = { host: `127.0.0.1:${port}`, connection: 'close', 'content-length': String(body.length) };
    const untyped = [`POST /api/a/deposit HTTP/1.1`, ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`)];
    await refusedUntouched(raw([`${untyped.join('\r\n')}\r\n\r\n${body}`]), 415, 'UnsupportedMediaType');
    for (const type of ['application/json', 'Application/JSON; charset=UTF-8']) {
      expect((await request('POST', '/api/a/deposit', { headers: { 'content-type': type }, body })).status).toBe(200);
    }
  });

  it('sends no CORS headers unless the origin is configured, and approves preflights for configured origins only', async () => {
    const foreign = await request('GET', '/api/x', { headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(200);
    expect(Object.keys(foreign.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    await refusedUntouched(
      request('OPTIONS', '/api/a/deposit', { headers: { origin: 'http://evil.example' } }),
      403,
      'OriginNotAllowed',
    );
    const preflight = await request('OPTIONS', '/api/a/deposit', { headers: { origin: corsOrigin } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(corsOrigin);
    const allowed = await request('POST', '/api/a/deposit', { headers: { origin: corsOrigin }, body: '{}' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(corsOrigin);
  });

  it('refuses a body that is not valid UTF-8 with 400', async () => {
    const invalid = Buffer.concat([Buffer.from('{"owner":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    await refusedUntouched(request('POST', '/api/a/open', { body: invalid }), 400, 'InvalidUtf8');
    const valid = await request('POST', '/api/a/open', { body: '{"owner":"Zoë 🦀"}' });
    expect(JSON.parse(valid.body)).toEqual({ method: 'POST', body: '{"owner":"Zoë 🦀"}' });
  });

  it('answers 413 at once when a body passes 16 KiB, by its declared length or while it streams', async () => {
    const head = (length: number) =>
      `POST /api/a/open HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: ${length}\r\n\r\n`;
    const declared = raw([head(100_000), 5_000]);
    const streamed = raw([head(100_000), Buffer.alloc(20 * 1024, 0x20), 5_000]);
    const chunked = raw([
      `POST /api/a/open HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n`,
      `5000\r\n${' '.repeat(0x5000)}\r\n`,
      5_000,
    ]);
    for (const answer of [declared, streamed, chunked]) {
      const { status, body, ms } = await answer;
      expect(status).toBe(413);
      expect(JSON.parse(body)).toMatchObject({ error: 'RequestBodyTooLarge' });
      expect(ms).toBeLessThan(timeouts.bodyIdleMs);
    }
    expect(calls.filter((call) => call.path === '/api/a/open' && call.body.length > 16 * 1024)).toEqual([]);
  });

  it('closes a request whose body stalls or drips, with 408, and one whose headers drip', async () => {
    const head = `POST /api/a/open HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: 100\r\n\r\n`;
    const before = calls.length;
    const stalled = await raw([head, '{"owner":', 5_000]);
    expect(stalled.status).toBe(408);
    expect(JSON.parse(stalled.body)).toMatchObject({ error: 'RequestTimeout' });
    expect(stalled.ms).toBeLessThan(timeouts.bodyIdleMs + 1_500);
    const drip = Array.from({ length: 30 }, () => ['x', 100] as const).flat();
    const dripped = await raw([head, ...drip]);
    expect(dripped.status).toBe(408);
    expect(dripped.ms).toBeLessThan(timeouts.bodyMs + 1_500);
    const headerDrip = Array.from({ length: 60 }, () => ['x', 50] as const).flat();
    const slowHeaders = await raw([`GET /api/x HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-slow: `, ...headerDrip]);
    expect(slowHeaders.ms).toBeLessThan(timeouts.headersMs + 1_500);
    expect(slowHeaders.status).toBe(408);
    expect(JSON.parse(slowHeaders.body)).toMatchObject({ error: 'RequestTimeout' });
    expect(calls.length).toBe(before);
  });

  it('answers HEAD on a GET route like GET, without the body', async () => {
    const get = await request('GET', '/api/x');
    const head = await request('HEAD', '/api/x');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.headers.etag).toBe('"1"');
    expect(calls.at(-1)?.method).toBe('GET');
    const page = await request('HEAD', '/dashboard/api/status');
    expect(page.status).toBe(200);
    expect(page.body).toBe('');
  });

  it('answers errors with one body shape under /api, /dashboard/api and elsewhere', async () => {
    await refusedUntouched(request('GET', '/dashboard/api/nope'), 404, 'NotFound');
    await refusedUntouched(request('GET', '/nowhere'), 404, 'NotFound');
    await refusedUntouched(request('POST', '/dashboard/api/parked/replay', { body: '{}' }), 400, 'InvalidRequest');
    await refusedUntouched(request('POST', '/dashboard/api/parked/replay', { body: '{' }), 400, 'InvalidRequest');
  });
});
