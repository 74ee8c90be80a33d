/**
 * Bad input at the HTTP edge of the sample app (the dev host's real HTTP server). Invariant: malformed JSON, wrong
 * types, oversize bodies, unknown routes and injection-shaped ids get a clear 4xx with a JSON error — never a 5xx —
 * and nothing is written to the event store. A fast-check fuzz over command payloads holds the same line.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  expect(typeof (body.error ?? body.code), what).toBe('string');
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
});
