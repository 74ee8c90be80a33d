/**
 * Bad input at the HTTP edge of the sample app (the dev host's real HTTP server). Invariant: malformed JSON, wrong
 * types, oversize bodies, unknown routes and injection-shaped ids get a clear 4xx with a JSON error — never a 5xx —
 * and nothing is written to the event store. Fast-check fuzzes over command payloads and over headers (Host, Origin,
 * content type, idempotency keys) hold the same line.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/raw-http.ts';
import { type HostedBank, startHostedBank } from './support/dev-host.ts';
import { openLedger, scaled } from './support/ledger.ts';
import { readAllDocuments } from './support/replay.ts';

const ledger = openLedger(import.meta.filename);
let bank: HostedBank;

beforeAll(async () => {
  bank = await startHostedBank();
}, 60_000);
afterAll(async () => {
  await bank?.close();
  ledger.flush();
});

const eventDocuments = async () => {
  const database = bank.cosmos.client.database(bank.host.cosmos.databaseId);
  return (await readAllDocuments(database.container('events'))).length;
};

function expectClear4xx(result: { status: number; contentType: string; text: string }, what: string) {
  expect(result.status, `${what}: ${result.text}`).toBeGreaterThanOrEqual(400);
  expect(result.status, `${what}: ${result.text}`).toBeLessThan(500);
  expect(result.contentType, what).toMatch(/application\/json/);
  const body = JSON.parse(result.text) as Record<string, unknown>;
  expect(typeof body.error, what).toBe('string');
  expect(typeof body.message, what).toBe('string');
}

const injectionIds = [
  "1'; DROP TABLE accounts;--",
  "' OR '1'='1",
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '<script>alert(1)</script>',
  'a"b',
  '$' + '{process.exit()}',
  'SELECT * FROM c',
  '%00',
  'x'.repeat(65),
  'a/b',
  'a b',
  '🦀',
];

describe('bad input at the HTTP edge', () => {
  it('answers malformed JSON, wrong types, unknown fields and oversize bodies with a clear 4xx and writes nothing', async () => {
    ledger.scenario();
    const before = await eventDocuments();
    const cases: [string, string, string | undefined][] = [
      ['POST', '/api/accounts/a1/open', '{"owner": '],
      ['POST', '/api/accounts/a1/open', 'not json at all'],
      ['POST', '/api/accounts/a1/open', '{"owner": 42}'],
      ['POST', '/api/accounts/a1/open', '{"owner": "Ann", "overdraftLimit": "lots"}'],
      ['POST', '/api/accounts/a1/open', '{"owner": "Ann", "admin": true}'],
      ['POST', '/api/accounts/a1/open', '[]'],
      ['POST', '/api/accounts/a1/open', 'null'],
      ['POST', '/api/accounts/a1/deposit', '{"amount": "ten"}'],
      ['POST', '/api/accounts/a1/deposit', '{"amount": -5}'],
      ['POST', '/api/accounts/a1/deposit', '{"amount": 1e308}'],
      ['POST', '/api/accounts/a1/withdraw', '{"amount": null}'],
      ['POST', '/api/transfers', '{"fromAccountId": "a1", "toAccountId": "a1", "amount": 5}'],
      ['POST', '/api/transfers', '{"fromAccountId": "../x", "toAccountId": "a2", "amount": 5}'],
      ['POST', '/api/accounts/a1/open', JSON.stringify({ owner: 'x'.repeat(20_000) })],
      ['POST', '/api/accounts/a1/deposit', `{"amount": 1, "description": "${'y'.repeat(17 * 1024)}"}`],
    ];
    for (const [method, path, body] of cases) {
      expectClear4xx(await bank.request(method, path, body), `${method} ${path} ${body?.slice(0, 60)}`);
    }
    const oversize = await bank.request(
      'POST',
      '/api/accounts/a1/open',
      JSON.stringify({ owner: 'z'.repeat(64 * 1024) }),
    );
    expect(oversize.status).toBe(413);
    ledger.faults(cases.length + 1);
    expect(await eventDocuments()).toBe(before);
  });

  it('answers unknown routes and wrong methods with 404 or 405', async () => {
    ledger.scenario();
    const cases: [string, string, number][] = [
      ['GET', '/api/nope', 404],
      ['POST', '/api/accounts', 404],
      ['GET', '/api/accounts/a1/open', 405],
      ['DELETE', '/api/accounts/a1', 405],
      ['GET', '/api/accounts/a1/deposit/extra', 404],
      ['GET', '/dashboard/api/nope', 404],
    ];
    for (const [method, path, status] of cases) {
      const result = await bank.request(method, path);
      expect(result.status, `${method} ${path}`).toBe(status);
      expectClear4xx(result, `${method} ${path}`);
    }
    ledger.faults(cases.length);
  });

  it('rejects injection-shaped ids in paths and bodies with a 4xx and creates no stream', async () => {
    ledger.scenario();
    const before = await eventDocuments();
    for (const id of injectionIds) {
      const path = `/api/accounts/${encodeURIComponent(id)}`;
      expectClear4xx(await bank.request('POST', `${path}/open`, '{"owner": "Mallory"}'), `open ${id}`);
      expectClear4xx(await bank.request('POST', `${path}/deposit`, '{"amount": 10}'), `deposit ${id}`);
      const read = await bank.request('GET', path);
      expect(read.status, `read ${id}`).toBeGreaterThanOrEqual(400);
      expect(read.status, `read ${id}`).toBeLessThan(500);
      const transfer = JSON.stringify({ fromAccountId: id, toAccountId: 'a2', amount: 1 });
      expectClear4xx(await bank.request('POST', '/api/transfers', transfer), `transfer from ${id}`);
      ledger.faults(4);
    }
    expect(await eventDocuments()).toBe(before);
  });

  it(
    'never answers 5xx to fuzzed command payloads, and a rejected command changes nothing',
    async () => {
      ledger.scenario();
      const routes = ['open', 'deposit', 'withdraw', 'close'];
      const payload = fc.oneof(
        fc.jsonValue().map((value) => JSON.stringify(value)),
        fc.string({ maxLength: 200 }),
        fc
          .record(
            {
              owner: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null)),
              amount: fc.oneof(fc.double(), fc.integer({ min: -10, max: 1_000 }), fc.string({ maxLength: 5 })),
              overdraftLimit: fc.oneof(fc.integer({ min: -5, max: 2_000_000_000 }), fc.string({ maxLength: 5 })),
              expectedVersion: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant('1')),
              transactionId: fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom(...injectionIds)),
              description: fc.string({ maxLength: 250 }),
            },
            { requiredKeys: [] },
          )
          .map((value) => JSON.stringify(value)),
      );
      const id = fc.oneof(
        fc.constantFrom('f1', 'f2', 'f3'),
        fc.constantFrom(...injectionIds),
        fc.string({ maxLength: 70 }),
      );
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), id, payload, async (route, accountId, body) => {
          const path = `/api/accounts/${encodeURIComponent(accountId)}/${route}`;
          const before = await eventDocuments();
          const result = await bank.request('POST', path, body);
          expect(result.status, `${path} ${body}`).toBeLessThan(500);
          if (result.status >= 400) {
            rejected++;
            expectClear4xx(result, `${path} ${body}`);
            expect(await eventDocuments(), `${path} ${body} wrote something`).toBe(before);
          }
        }),
        { numRuns: scaled(60, 400) },
      );
      ledger.faults(rejected);
      expect(rejected).toBeGreaterThan(0);
    },
    scaled(60_000, 300_000),
  );

  it(
    'refuses fuzzed headers in order — foreign Host 403, foreign Origin 403, non-JSON 415, reused key 422 — writing nothing',
    async () => {
      ledger.scenario();
      const port = Number(new URL(bank.host.url).port);
      const self = `127.0.0.1:${port}`;
      expect(
        (await bank.request('POST', '/api/accounts/fz/open', '{"owner": "Fuzz", "overdraftLimit": 1000000}')).status,
      ).toBe(200);
      const hosts = new Set([self, `localhost:${port}`, `[::1]:${port}`]);
      const host = fc.oneof(
        fc.constantFrom(...hosts, `LocalHost:${port}`),
        fc.constantFrom(
          'attacker.example',
          `attacker.example:${port}`,
          `127.0.0.1:${port + 1}`,
          'localhost',
          `127.0.0.2:${port}`,
        ),
        fc.domain(),
      );
      const origin = fc.option(
        fc.oneof(
          fc.constantFrom(`http://${self}`, `http://localhost:${port}`),
          fc.constantFrom('http://evil.example', 'null', `https://${self}`, `http://${self}.evil.example`),
          fc.webUrl({ withQueryParameters: false, withFragments: false }),
        ),
        { nil: undefined },
      );
      const contentType = fc.oneof(
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'),
        fc.constantFrom('', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
        fc.constantFrom('application/json; charset=latin1', 'application/json-patch+json', 'text/json'),
      );
      const key = fc.option(fc.oneof(fc.constantFrom('k1', 'k2', 'k3', 'k4'), fc.constantFrom(...injectionIds)), {
        nil: undefined,
      });
      const command = fc.record({
        route: fc.constantFrom('deposit', 'withdraw'),
        amount: fc.integer({ min: 1, max: 3 }),
      });
      const firstAnswers = new Map<string, { route: string; amount: number; text: string }>();
      const isJson = (type: string) => /^application\/json(; charset=utf-8)?$/i.test(type);
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(
          host,
          origin,
          contentType,
          key,
          command,
          async (hostValue, originValue, type, keyValue, cmd) => {
            const before = await eventDocuments();
            const headers: Record<string, string> = { host: hostValue, 'content-type': type };
            if (originValue !== undefined) headers.origin = originValue;
            if (keyValue !== undefined) headers['idempotency-key'] = keyValue;
            const body = JSON.stringify({ amount: cmd.amount });
            const answer = await rawRequest(port, 'POST', `/api/accounts/fz/${cmd.route}`, { headers, body });
            const what = `${JSON.stringify(headers)} ${cmd.route} ${cmd.amount}: ${answer.status} ${answer.body}`;
            expect(answer.status, what).toBeLessThan(500);
            const hostOk = hosts.has(hostValue.toLowerCase());
            const originOk =
              originValue === undefined || [`http://${self}`, `http://localhost:${port}`].includes(originValue);
            const previous = keyValue === undefined ? undefined : firstAnswers.get(keyValue);
            let expected: { status: number; error?: string };
            if (!hostOk) expected = { status: 403, error: 'HostNotAllowed' };
            else if (!originOk) expected = { status: 403, error: 'OriginNotAllowed' };
            else if (!isJson(type)) expected = { status: 415, error: 'UnsupportedMediaType' };
            else if (keyValue !== undefined && injectionIds.includes(keyValue))
              expected = { status: 400, error: 'InvalidRequest' };
            else if (previous && (previous.route !== cmd.route || previous.amount !== cmd.amount)) {
              expected = { status: 422, error: 'IdempotencyKeyReused' };
            } else expected = { status: 200 };
            expect(answer.status, what).toBe(expected.status);
            if (expected.error !== undefined) {
              refused++;
              expect(JSON.parse(answer.body), what).toMatchObject({
                error: expected.error,
                message: expect.any(String),
              });
              expect(await eventDocuments(), `${what} wrote something`).toBe(before);
              return;
            }
            if (keyValue === undefined) return;
            if (previous) expect(answer.body, `${what}: a retry answers as the first time`).toBe(previous.text);
            else firstAnswers.set(keyValue, { route: cmd.route, amount: cmd.amount, text: answer.body });
          },
        ),
        { numRuns: scaled(80, 500) },
      );
      ledger.faults(refused);
      expect(refused).toBeGreaterThan(0);
    },
    scaled(60_000, 300_000),
  );
});
