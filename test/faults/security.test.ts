/**
 * Security. Invariants: a request signed with the wrong Cosmos key is rejected and writes nothing; no secret — the
 * Cosmos key, an Event Hubs connection string — appears in any log line, error message or serialized config.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { inspect } from 'node:util';
import { CosmosClient } from '@azure/cosmos';
import { Kafka } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { WELL_KNOWN_EMULATOR_KEY } from '../../src/emulator/index.ts';
import { kafkaConfigFromEventHubsConnectionString } from '../../src/summaries/kafka-config.ts';
import { startTestCosmos } from '../support/cosmos.ts';
import { captureOutput, leakedSecrets } from './support/capture.ts';
import { startHostedBank } from './support/dev-host.ts';
import { openLedger, scaled } from './support/ledger.ts';

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
