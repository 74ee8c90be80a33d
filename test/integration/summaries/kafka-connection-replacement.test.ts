import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKafkaSummaryPublisher,
  idempotencyKey,
  kafkaConfigFromBrokers,
  type SummaryRecord,
} from '../../../src/summaries/index.ts';
import { skipKafka, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import { type BlackHoleProxy, startBlackHoleProxy } from './black-hole-proxy.ts';

function record(topic: string, version: number): SummaryRecord {
  const stream = 'Account-1';
  return {
    topic,
    body: { balance: version },
    envelope: {
      stream,
      version: BigInt(version),
      contract: 'AccountBalance',
      contractVersion: 1,
      idempotencyKey: idempotencyKey(stream, BigInt(version), 'AccountBalance', 1),
      correlationId: `corr-${version}`,
    },
  };
}

describe.skipIf(skipKafka)('a publisher whose broker connection silently dies', () => {
  let kafka: TestKafka;
  let proxy: BlackHoleProxy;

  beforeAll(async () => {
    kafka = await startTestKafka();
  });
  afterAll(async () => {
    await kafka?.stop();
  });

  const config = (overrides: { maxIdleMs?: number } = {}) =>
    kafkaConfigFromBrokers([...proxy.brokers], {
      socketFactory: proxy.socketFactory,
      requestTimeout: 1_000,
      connectionTimeout: 1_000,
      publishAttemptTimeoutMs: 1_500,
      retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 200 },
      log: () => {},
      ...overrides,
    });

  it('replaces the connection after a publish times out, so every later publish succeeds', async () => {
    proxy = await startBlackHoleProxy(kafka.brokers);
    const topic = `replaced-${randomUUID().slice(0, 8)}`;
    const publisher = createKafkaSummaryPublisher({ config: config() });
    try {
      await publisher.publish(record(topic, 1));
      proxy.blackHoleOpenConnections();
      const outcomes: string[] = [];
      for (let version = 2; version <= 7; version++) {
        outcomes.push(
          await publisher.publish(record(topic, version)).then(
            () => 'published',
            () => 'failed',
          ),
        );
      }
      expect(outcomes).toEqual(Array(6).fill('published'));
      expect(publisher.stats().connectionsReplaced).toBe(1);
    } finally {
      await publisher.close();
      await proxy.close();
    }
  }, 60_000);

  it('connects anew before sending after an idle spell longer than maxIdleMs, without waiting for a timeout', async () => {
    proxy = await startBlackHoleProxy(kafka.brokers);
    const topic = `idle-${randomUUID().slice(0, 8)}`;
    const publisher = createKafkaSummaryPublisher({ config: config({ maxIdleMs: 300 }) });
    try {
      await publisher.publish(record(topic, 1));
      proxy.blackHoleOpenConnections();
      await new Promise((resolve) => setTimeout(resolve, 400));
      const started = performance.now();
      await publisher.publish(record(topic, 2));
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(publisher.stats()).toMatchObject({ connectionsReplaced: 1, failedRequests: 0 });
    } finally {
      await publisher.close();
      await proxy.close();
    }
  }, 60_000);
});

describe.skipIf(skipKafka)('closing a publisher whose broker is unreachable', () => {
  /** A publisher behind a proxy that can swallow everything, with long timeouts and a 300 ms close timeout. */
  async function publisherBehindProxy(overrides: { connectionTimeout?: number } = {}) {
    const kafka = await startTestKafka();
    const proxy = await startBlackHoleProxy(kafka.brokers);
    const publisher = createKafkaSummaryPublisher({
      config: kafkaConfigFromBrokers([...proxy.brokers], {
        socketFactory: proxy.socketFactory,
        requestTimeout: 30_000,
        publishAttemptTimeoutMs: 60_000,
        closeTimeoutMs: 300,
        log: () => {},
        ...overrides,
      }),
    });
    return { kafka, proxy, publisher };
  }

  it('returns within closeTimeoutMs, refusing what it could not send', async () => {
    const { kafka, proxy, publisher } = await publisherBehindProxy();
    const topic = `closing-${randomUUID().slice(0, 8)}`;
    try {
      await publisher.publish(record(topic, 1));
      proxy.blackHoleEverything();
      const stuck = publisher.publish(record(topic, 2)).then(
        () => 'published',
        () => 'refused',
      );
      const queued = publisher.publish(record(topic, 3)).then(
        () => 'published',
        () => 'refused',
      );
      const started = performance.now();
      await publisher.close();
      expect(performance.now() - started).toBeLessThan(2_000);
      expect([await stuck, await queued]).toEqual(['refused', 'refused']);
    } finally {
      await proxy.close();
      await kafka.stop();
    }
  }, 60_000);

  it('refuses a publish whose producer is still connecting, instead of leaving it to its attempt timeout', async () => {
    const { kafka, proxy, publisher } = await publisherBehindProxy({ connectionTimeout: 30_000 });
    try {
      proxy.blackHoleEverything();
      const connecting = publisher.publish(record(`connecting-${randomUUID().slice(0, 8)}`, 1)).then(
        () => 'published',
        (error: Error) => error.name,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await publisher.close();
      const pending = new Promise((resolve) => setTimeout(() => resolve('still pending'), 3_000));
      expect(await Promise.race([connecting, pending])).toBe('SummaryPublishFailed');
    } finally {
      await proxy.close();
      await kafka.stop();
    }
  }, 60_000);
});
