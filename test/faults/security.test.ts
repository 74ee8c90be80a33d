/**
 * Security. Invariants: a request signed with the wrong Cosmos key is rejected and writes nothing; no secret — the
 * Cosmos key, an Event Hubs connection string — appears in any log line, error message or serialized config; every
 * attack on the bank's API and the dev host (reused idempotency keys, cross-site writes, foreign Host names, bodies
 * that are not UTF-8 JSON, oversize or stalled bodies) gets a clear 4xx and writes nothing.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { inspect } from 'node:util';
import { CosmosClient } from '@azure/cosmos';
import { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WELL_KNOWN_EMULATOR_KEY } from '../../src/emulator/index.ts';
import { kafkaConfigFromEventHubsConnectionString } from '../../src/summaries/kafka-config.ts';
import { startTestCosmos } from '../support/cosmos.ts';
import { rawHttp, rawRequest } from '../support/raw-http.ts';
import { captureOutput, leakedSecrets } from './support/capture.ts';
import { type HostedBank, startHostedBank } from './support/dev-host.ts';
import { openLedger, scaled } from './support/ledger.ts';
import { readAllDocuments } from './support/replay.ts';

const ledger = openLedger(import.meta.filename);
afterAll(() => ledger.flush());

const fakeEventHubsKey = randomBytes(32).toString('base64');
const fakeConnectionString =
  'Endpoint=sb://tributary-fake.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;' +
  `SharedAccessKey=${fakeEventHubsKey}`;

function errorText(error: unknown): string {
  return error instanceof Error
    ? `${error.message}\n${error.stack ?? ''}\n${inspect(error, { depth: 5 })}`
    : String(error);
}

describe('security', () => {
  it('rejects a request signed with the wrong Cosmos key and writes nothing', async () => {
    ledger.scenario();
    const cosmos = await startTestCosmos();
    try {
      const wrongKey = randomBytes(64).toString('base64');
      const intruder = new CosmosClient({
        endpoint: cosmos.endpoint,
        key: wrongKey,
        connectionPolicy: { enableEndpointDiscovery: false },
      });
      const attempt = intruder.databases.create({ id: 'intruder-db' });
      await expect(attempt).rejects.toMatchObject({ code: 401 });
      ledger.faults(1);
      const error = await attempt.catch((e: unknown) => e);
      expect(leakedSecrets(errorText(error), [cosmos.key])).toEqual([]);
      intruder.dispose();

      const { resources } = await cosmos.client.databases.readAll().fetchAll();
      expect(resources.map((d) => d.id)).not.toContain('intruder-db');
    } finally {
      await cosmos.close();
    }
  });

  it('never shows an Event Hubs connection string in a serialized config or a settings error', () => {
    ledger.scenario();
    const config = kafkaConfigFromEventHubsConnectionString(fakeConnectionString);
    const shown = [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      config.redact(`oops ${fakeConnectionString}`),
    ];
    expect(leakedSecrets(shown.join('\n'), [fakeConnectionString])).toEqual([]);

    const rejections = [
      () => kafkaConfigFromEventHubsConnectionString(fakeConnectionString, { requestTimeout: 5 }),
      () =>
        kafkaConfigFromEventHubsConnectionString(fakeConnectionString.replace('Endpoint=sb://', 'Endpoint=http://')),
      () => kafkaConfigFromEventHubsConnectionString(fakeConnectionString.replace('SharedAccessKeyName=', 'Name=')),
    ];
    for (const reject of rejections) {
      const error = (() => {
        try {
          reject();
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(Error);
      expect(leakedSecrets(errorText(error), [fakeConnectionString])).toEqual([]);
    }
  });

  it('keeps the Event Hubs connection string out of every kafkajs log line and error when the broker is unreachable', async () => {
    ledger.scenario();
    // A "broker" that accepts and immediately drops every connection: the client logs and fails, and must not leak.
    const dropper = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const port = (dropper.address() as net.AddressInfo).port;
    const logLines: string[] = [];
    const captured = captureOutput();
    let failure: unknown;
    try {
      const config = kafkaConfigFromEventHubsConnectionString(fakeConnectionString, {
        connectionTimeout: 500,
        retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
        log: (entry) => logLines.push(`${entry.level} ${entry.namespace} ${entry.message}`),
        socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port }, onConnect),
      });
      const producer = new Kafka({ ...config.client, logLevel: 5 }).producer(config.producer);
      failure = await producer.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      await producer.disconnect().catch(() => {});
    } finally {
      captured.stop();
      await new Promise<void>((resolve) => dropper.close(() => resolve()));
    }
    ledger.faults(1);
    expect(failure).toBeInstanceOf(Error);
    expect(logLines.length).toBeGreaterThan(0);
    const everything = [errorText(failure), ...logLines, captured.text()].join('\n');
    expect(leakedSecrets(everything, [fakeConnectionString])).toEqual([]);
  });

  it('does not print the well-known emulator key when the emulator starts and serves requests', async () => {
    ledger.scenario();
    const captured = captureOutput();
    try {
      const cosmos = await startTestCosmos();
      const database = await cosmos.database('security');
      await database.containers.create({ id: 'c', partitionKey: { paths: ['/p'] } });
      await cosmos.client
        .database('no-such-db')
        .read()
        .catch(() => undefined);
      await cosmos.close();
    } finally {
      captured.stop();
    }
    expect(leakedSecrets(captured.text(), [WELL_KNOWN_EMULATOR_KEY])).toEqual([]);
  });

  it(
    'keeps the Cosmos key and the Event Hubs connection string out of the dev host’s logs, errors and dashboard',
    async () => {
      ledger.scenario();
      const captured = captureOutput();
      const responses: string[] = [];
      let lines: string[] = [];
      let cosmosKey = '';
      try {
        const bank = await startHostedBank({ eventHubsConnectionString: fakeConnectionString });
        lines = bank.lines;
        cosmosKey = bank.cosmos.key;
        try {
          // Valid commands make the summary reactor try the fake namespace (and log its failures); the dev host then
          // takes ~45 s to stop while the publisher exhausts its retries, so only the full run includes them.
          const commands: [string, string, string?][] = scaled(
            [],
            [
              ['POST', '/api/accounts/s1/open', '{"owner": "Sam"}'],
              ['POST', '/api/accounts/s1/deposit', '{"amount": 25}'],
            ],
          );
          const calls: [string, string, string?][] = [
            ...commands,
            ['POST', '/api/accounts/s1/deposit', '{"amount": "bad"}'],
            ['POST', '/api/accounts/s1/open', '{"owner": '],
            ['GET', '/api/accounts/s1'],
            ['GET', '/api/nope'],
            ['GET', '/dashboard'],
            ['GET', '/dashboard/api/status'],
            ['GET', '/dashboard/api/categories'],
            ['GET', '/dashboard/api/categories/Account/streams'],
            ['GET', '/dashboard/api/streams/Account-s1'],
            ['POST', '/dashboard/api/parked/replay', '{"processor": "nope", "stream": "Account-s1"}'],
          ];
          for (const [method, path, body] of calls) {
            const result = await bank.request(method, path, body);
            responses.push(`${method} ${path} ${result.status} ${result.text}`);
          }
          // let the summary publisher try (and fail) to reach the fake namespace and log about it
          await bank.host.sample();
          ledger.faults(1);
        } finally {
          await bank.close();
        }
      } finally {
        captured.stop();
      }
      expect(responses.some((r) => r.startsWith('GET /dashboard/api/status 200'))).toBe(true);
      const everything = [...responses, ...lines, captured.text()].join('\n');
      expect(leakedSecrets(everything, [fakeConnectionString, cosmosKey])).toEqual([]);
    },
    scaled(60_000, 120_000),
  );
});

describe('attacks on the bank API and the dev host', () => {
  let bank: HostedBank;
  let port: number;
  beforeAll(async () => {
    bank = await startHostedBank();
    port = Number(new URL(bank.host.url).port);
    expect((await bank.request('POST', '/api/accounts/victim/open', '{"owner": "Vic"}')).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await bank?.close();
  });

  /** every event stored, in tips and batches alike */
  const storedEvents = async () => {
    const database = bank.cosmos.client.database(bank.host.cosmos.databaseId);
    const documents = await readAllDocuments(database.container('events'));
    return documents.reduce((count, document) => count + (Array.isArray(document.e) ? document.e.length : 0), 0);
  };
  const balance = async () => {
    const stream = await rawRequest(port, 'GET', '/dashboard/api/streams/Account-victim');
    return (JSON.parse(stream.body) as { state: { balance: number } }).state.balance;
  };
  const expectError = (answer: { status: number; body: string }, status: number, error: string) => {
    expect(answer.status, answer.body).toBe(status);
    expect(JSON.parse(answer.body)).toEqual(expect.objectContaining({ error, message: expect.any(String) }));
  };

  it('refuses an idempotency key reused for another amount or command (422), and answers a true retry as the first time', async () => {
    ledger.scenario();
    const deposit = (amount: number, key = 'K1', route = 'deposit') =>
      rawRequest(port, 'POST', `/api/accounts/victim/${route}`, {
        headers: { 'idempotency-key': key },
        body: JSON.stringify({ amount }),
      });
    const first = await deposit(100);
    expect(first.status).toBe(200);
    const before = await storedEvents();
    expectError(await deposit(999_999), 422, 'IdempotencyKeyReused');
    expectError(await deposit(100, 'K1', 'withdraw'), 422, 'IdempotencyKeyReused');
    ledger.faults(2);
    const retry = await deposit(100);
    expect([retry.status, retry.headers.etag, retry.body]).toEqual([first.status, first.headers.etag, first.body]);
    expect(await storedEvents()).toBe(before);
    expect(await balance()).toBe(100);
  });

  it('refuses cross-site writes: a foreign Origin (403) or a content type a form can send (415)', async () => {
    ledger.scenario();
    const before = await storedEvents();
    const body = '{"amount": 5}';
    const attacks: { headers: Record<string, string>; status: number; error: string }[] = [
      {
        headers: { 'content-type': 'text/plain', origin: 'http://evil.example' },
        status: 403,
        error: 'OriginNotAllowed',
      },
      { headers: { origin: 'http://evil.example' }, status: 403, error: 'OriginNotAllowed' },
      { headers: { origin: 'null' }, status: 403, error: 'OriginNotAllowed' },
      { headers: { 'content-type': 'text/plain' }, status: 415, error: 'UnsupportedMediaType' },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, error: 'UnsupportedMediaType' },
      { headers: { 'content-type': '' }, status: 415, error: 'UnsupportedMediaType' },
    ];
    for (const attack of attacks) {
      expectError(
        await rawRequest(port, 'POST', '/api/accounts/victim/deposit', { headers: attack.headers, body }),
        attack.status,
        attack.error,
      );
      expectError(
        await rawRequest(port, 'POST', '/dashboard/api/parked/replay', {
          headers: attack.headers,
          body: '{"processor": "projection-account-balance@1", "stream": "Account-victim"}',
        }),
        attack.status,
        attack.error,
      );
    }
    ledger.faults(attacks.length * 2);
    expect(await storedEvents()).toBe(before);
  });

  it('refuses requests naming another host (DNS rebinding): no dashboard status, no replay, no write', async () => {
    ledger.scenario();
    const before = await storedEvents();
    const host = 'attacker.example';
    for (const [method, path, body] of [
      ['GET', '/dashboard/api/status', undefined],
      ['GET', '/dashboard/', undefined],
      ['GET', '/api/accounts/victim', undefined],
      ['POST', '/api/accounts/victim/deposit', '{"amount": 5}'],
      ['POST', '/dashboard/api/parked/replay', '{"processor": "p", "stream": "Account-victim"}'],
    ] as const) {
      const answer = await rawRequest(port, method, path, {
        headers: { host: `${host}:${port}` },
        ...(body ? { body } : {}),
      });
      expectError(answer, 403, 'HostNotAllowed');
      expect(answer.body).not.toContain('processors');
    }
    ledger.faults(5);
    expect(await storedEvents()).toBe(before);
  });

  it('refuses a body that is not valid UTF-8 (400) instead of storing U+FFFD', async () => {
    ledger.scenario();
    const before = await storedEvents();
    const body = Buffer.concat([Buffer.from('{"owner": "M'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    expectError(await rawRequest(port, 'POST', '/api/accounts/utf/open', { body }), 400, 'InvalidUtf8');
    ledger.faults(1);
    expect(await storedEvents()).toBe(before);
  });

  it('answers a body that passes 16 KiB and then stalls with 413 at once', async () => {
    ledger.scenario();
    const before = await storedEvents();
    const head =
      `POST /api/accounts/victim/deposit HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
      'connection: close\r\ncontent-length: 1000000\r\n\r\n';
    const answer = await rawHttp(port, [head, Buffer.alloc(20 * 1024, 0x20), 10_000]);
    expectError(answer, 413, 'RequestBodyTooLarge');
    expect(answer.ms).toBeLessThan(2_000);
    // no declared length: the limit is checked on the bytes as they arrive
    const chunked = await rawHttp(port, [
      head.replace('content-length: 1000000', 'transfer-encoding: chunked'),
      `5000\r\n${' '.repeat(0x5000)}\r\n`,
      10_000,
    ]);
    expectError(chunked, 413, 'RequestBodyTooLarge');
    expect(chunked.ms).toBeLessThan(2_000);
    const api = await rawRequest(port, 'POST', '/api/accounts/victim/deposit', { body: ' '.repeat(17 * 1024) });
    expectError(api, 413, 'RequestBodyTooLarge');
    ledger.faults(3);
    expect(await storedEvents()).toBe(before);
  });

  it('answers HEAD on GET routes like GET without a body, and errors with one shape under /api and /dashboard/api', async () => {
    ledger.scenario();
    for (const path of ['/dashboard/api/status', '/dashboard/api/streams/Account-victim', '/dashboard/']) {
      const [get, head] = [await rawRequest(port, 'GET', path), await rawRequest(port, 'HEAD', path)];
      expect(head.status, path).toBe(200);
      expect(head.body, path).toBe('');
      expect(head.headers['content-type'], path).toBe(get.headers['content-type']);
    }
    expect((await rawRequest(port, 'HEAD', '/api/transfers/none')).status).toBe(404);
    expectError(await rawRequest(port, 'GET', '/api/nowhere'), 404, 'NotFound');
    expectError(await rawRequest(port, 'GET', '/dashboard/api/nowhere'), 404, 'NotFound');
    expectError(await rawRequest(port, 'GET', '/dashboard/api/streams/Account-%E0%A4%A'), 400, 'InvalidRequest');
    expectError(await rawRequest(port, 'GET', '/api/accounts/%E0%A4%A'), 400, 'InvalidRequest');
  });

  it('closes slow clients: a stalled body gets 408, headers sent a byte at a time are cut off', async ({ skip }) => {
    if (scaled(true, false)) skip('the dev host’s own timeouts (5 s idle body, 10 s headers): full run only');
    ledger.scenario();
    const before = await storedEvents();
    const head =
      `POST /api/accounts/victim/deposit HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
      'connection: close\r\ncontent-length: 100\r\n\r\n';
    const stalled = await rawHttp(port, [head, '{"amount":', 30_000]);
    expectError(stalled, 408, 'RequestTimeout');
    expect(stalled.ms).toBeLessThan(8_000);
    const drip = Array.from({ length: 200 }, () => ['x', 100] as const).flat();
    const dripped = await rawHttp(port, [
      `GET /api/accounts/victim HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-slow: `,
      ...drip,
    ]);
    expect(dripped.ms).toBeLessThan(15_000);
    expectError(dripped, 408, 'RequestTimeout');
    ledger.faults(2);
    expect(await storedEvents()).toBe(before);
  }, 30_000);
});
