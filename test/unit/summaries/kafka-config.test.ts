import { Socket } from 'node:net';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  createKafkaSummaryPublisher,
  InvalidKafkaConfig,
  type KafkaConfigOverrides,
  type KafkaLogEntry,
  kafkaConfigFromBrokers,
  kafkaConfigFromEventHubsConnectionString,
  kafkaConfigFromEventHubsCredential,
  SummaryPublishFailed,
} from '../../../src/summaries/index.ts';

const secretKey = 'c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs9PQ==';
const connectionString = `Endpoint=sb://contoso-events.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${secretKey}`;

function errorText(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  return [e.message, e.stack, String(e), JSON.stringify(e), e.cause ? String(e.cause) : ''].join('\n');
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('Kafka settings from an Event Hubs connection string', () => {
  it('produces exactly the documented client, producer, consumer and send settings', () => {
    const config = kafkaConfigFromEventHubsConnectionString(connectionString);
    const { logCreator, sasl, ...client } = config.client;
    expect(client).toEqual({
      brokers: ['contoso-events.servicebus.windows.net:9093'],
      ssl: true,
      clientId: 'tributary',
      requestTimeout: 60_000,
      enforceRequestTimeout: true,
      connectionTimeout: 10_000,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 30_000 },
      logLevel: 2,
    });
    expect(typeof logCreator).toBe('function');
    expect(sasl).toMatchObject({ mechanism: 'plain', username: '$ConnectionString' });
    expect((sasl as { password: string }).password).toBe(connectionString);
    expect(config.producer).toEqual({
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: false,
      allowAutoTopicCreation: false,
      metadataMaxAge: 180_000,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 30_000 },
    });
    expect(config.consumer).toEqual({
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      rebalanceTimeout: 60_000,
      metadataMaxAge: 180_000,
      maxBytesPerPartition: 1_048_576,
      maxWaitTimeInMs: 5_000,
      allowAutoTopicCreation: false,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 30_000 },
    });
    expect(config.send).toEqual({ acks: -1, compression: 1, timeout: 60_000 });
    expect(config.maxMessageBytes).toBe(1_000_000);
    expect(config.maxMessageBytes).toBeLessThan(1_046_528);
  });

  it('keeps the connection string out of the serialized and inspected config', () => {
    const config = kafkaConfigFromEventHubsConnectionString(connectionString);
    expect(JSON.stringify(config)).not.toContain(secretKey);
  });

  it('refuses a connection string carrying a SharedAccessSignature token, saying why and without showing it', () => {
    const token =
      'sr=contoso-events.servicebus.windows.net&sig=c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtbGVhaw%3D&se=1893456000&skn=send';
    const sas = `Endpoint=sb://contoso-events.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature ${token}`;
    const error = thrown(() => kafkaConfigFromEventHubsConnectionString(sas));
    expect(error).toBeInstanceOf(InvalidKafkaConfig);
    expect((error as Error).message).toMatch(/SharedAccessSignature.*key-based connection string.*OAuth/);
    expect(errorText(error)).not.toContain('c2lnbmF0dXJl');
  });

  it('accepts an event-hub-scoped connection string with EntityPath', () => {
    const config = kafkaConfigFromEventHubsConnectionString(`${connectionString};EntityPath=summaries`);
    expect(config.client.brokers).toEqual(['contoso-events.servicebus.windows.net:9093']);
  });

  it('applies overrides within the Event Hubs limits', () => {
    const config = kafkaConfigFromEventHubsConnectionString(connectionString, {
      clientId: 'billing',
      requestTimeout: 90_000,
      metadataMaxAge: 120_000,
      idempotent: true,
    });
    expect(config.client.clientId).toBe('billing');
    expect(config.client.requestTimeout).toBe(90_000);
    expect(config.producer.metadataMaxAge).toBe(120_000);
    expect(config.producer.idempotent).toBe(true);
  });

  it('refuses a request timeout under 60 s and a metadata age over 180 s', () => {
    expect(() => kafkaConfigFromEventHubsConnectionString(connectionString, { requestTimeout: 30_000 })).toThrow(
      /requestTimeout must be at least 60000/,
    );
    expect(() => kafkaConfigFromEventHubsConnectionString(connectionString, { metadataMaxAge: 300_000 })).toThrow(
      /metadataMaxAge must be at most 180000/,
    );
  });

  it.each([
    ['no endpoint', `SharedAccessKeyName=send;SharedAccessKey=${secretKey}`],
    [
      'a non-sb endpoint',
      `Endpoint=https://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${secretKey}`,
    ],
    ['no key', 'Endpoint=sb://contoso-events.servicebus.windows.net/;SharedAccessKeyName=send'],
    ['garbage', `${secretKey}`],
  ])('rejects a connection string with %s with a typed error that does not repeat it', (_case, bad) => {
    const error = thrown(() => kafkaConfigFromEventHubsConnectionString(bad));
    expect(error).toBeInstanceOf(InvalidKafkaConfig);
    expect(errorText(error)).not.toContain(secretKey);
    expect(errorText(error)).not.toContain(bad);
  });

  it('checks every override against one schema, functions included, and names each broken one', () => {
    const overrides = { requestTimeout: -1, log: 'stderr' } as unknown as KafkaConfigOverrides;
    const error = thrown(() => kafkaConfigFromEventHubsConnectionString(connectionString, overrides));
    expect(error).toBeInstanceOf(InvalidKafkaConfig);
    expect((error as Error).message).toMatch(
      /^Invalid Kafka settings for kafkaConfigFromEventHubsConnectionString: requestTimeout: .*; log: expected a function\.$/,
    );
  });

  it('keeps the connection string out of invalid-override errors', () => {
    const error = thrown(() => kafkaConfigFromEventHubsConnectionString(connectionString, { clientId: '' }));
    expect(error).toBeInstanceOf(InvalidKafkaConfig);
    expect(errorText(error)).not.toContain(secretKey);
  });

  it('redacts the connection string and its key from kafkajs log entries', () => {
    const entries: KafkaLogEntry[] = [];
    const config = kafkaConfigFromEventHubsConnectionString(connectionString, { log: (e) => entries.push(e) });
    const logger = config.client.logCreator?.(1);
    logger?.({
      namespace: 'Connection',
      level: 1,
      label: 'ERROR',
      log: { timestamp: 'now', message: `failed with ${connectionString}`, extra: secretKey },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]?.message).toContain('[redacted]');
    expect(JSON.stringify(entries)).not.toContain(secretKey);
    expect(config.redact(`x ${connectionString} y`)).toBe('x [redacted] y');
  });
});

describe('Kafka settings for Event Hubs with Microsoft Entra ID', () => {
  it('uses OAUTHBEARER with a token for the namespace scope', async () => {
    const scopes: string[] = [];
    const credential = {
      getToken: async (scope: string | string[]) => {
        scopes.push(String(scope));
        return { token: 'entra-token', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const config = kafkaConfigFromEventHubsCredential('contoso-events', credential);
    expect(config.client.brokers).toEqual(['contoso-events.servicebus.windows.net:9093']);
    expect(config.client.ssl).toBe(true);
    const sasl = config.client.sasl as { mechanism: string; oauthBearerProvider: () => Promise<{ value: string }> };
    expect(sasl.mechanism).toBe('oauthbearer');
    await expect(sasl.oauthBearerProvider()).resolves.toEqual({ value: 'entra-token' });
    expect(scopes).toEqual(['https://contoso-events.servicebus.windows.net/.default']);
    expect(config.client.requestTimeout).toBe(60_000);
    expect(config.producer.maxInFlightRequests).toBe(1);
  });

  it('rejects a namespace that is not a namespace name', () => {
    expect(() => kafkaConfigFromEventHubsCredential('not a namespace', { getToken: async () => null })).toThrow(
      InvalidKafkaConfig,
    );
  });
});

describe('Kafka settings for plain brokers', () => {
  it('connects without TLS or SASL and lets the cluster create topics', () => {
    const config = kafkaConfigFromBrokers(['localhost:9092'], { requestTimeout: 5_000 });
    expect(config.client.brokers).toEqual(['localhost:9092']);
    expect(config.client.ssl).toBeUndefined();
    expect(config.client.sasl).toBeUndefined();
    expect(config.client.requestTimeout).toBe(5_000);
    expect(config.producer.allowAutoTopicCreation).toBe(true);
    expect(config.send).toEqual({ acks: -1, compression: 1, timeout: 5_000 });
  });

  it('rejects an empty broker list and malformed addresses', () => {
    expect(() => kafkaConfigFromBrokers([])).toThrow(InvalidKafkaConfig);
    expect(() => kafkaConfigFromBrokers(['localhost'])).toThrow(/host:port/);
  });
});

describe('publishing with an Event Hubs connection string', () => {
  it('never lets the connection string reach a publish error or a log entry, even when the client echoes it', async () => {
    const entries: KafkaLogEntry[] = [];
    const config = kafkaConfigFromEventHubsConnectionString(connectionString, {
      retry: { retries: 0 },
      connectionTimeout: 500,
      log: (entry) => entries.push(entry),
      socketFactory: () => {
        const socket = new Socket();
        process.nextTick(() => socket.destroy(new Error(`cannot reach broker with ${connectionString}`)));
        return socket;
      },
    });
    const publisher = createKafkaSummaryPublisher({ config });
    const failure = await publisher
      .publish({
        topic: 'summaries',
        body: {},
        envelope: {
          stream: 'Account-1',
          version: 1n,
          contract: 'C',
          contractVersion: 1,
          idempotencyKey: 'Account-1:1:C@1',
        },
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    await publisher.close();
    expect(failure).toBeInstanceOf(SummaryPublishFailed);
    expect(errorText(failure)).not.toContain(secretKey);
    expect(entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(entries)).not.toContain(secretKey);
  });
});
