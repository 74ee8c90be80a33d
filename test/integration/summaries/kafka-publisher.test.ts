import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createKafkaSummaryPublisher,
  createSummaryConsumer,
  defineSummaryContract,
  idempotencyKey,
  kafkaConfigFromBrokers,
  type ReceivedSummary,
  type SummaryRecord,
  SummaryTooLarge,
} from '../../../src/summaries/index.ts';
import { type KafkaProxy, skipKafka, startKafkaProxy, startTestKafka, type TestKafka } from '../../support/kafka.ts';

const fastRetries = { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 };

function balanceContract(topic: string) {
  return defineSummaryContract({
    name: 'AccountBalance',
    version: 1,
    schema: z.object({ balance: z.number() }),
    topic,
  });
}

function record(topic: string, stream: string, version: number, balance: number): SummaryRecord {
  return {
    topic,
    body: { balance },
    envelope: {
      stream,
      version: BigInt(version),
      contract: 'AccountBalance',
      contractVersion: 1,
      idempotencyKey: idempotencyKey(stream, BigInt(version), 'AccountBalance', 1),
      correlationId: `corr-${stream}-${version}`,
    },
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(skipKafka)('publishing summaries to Kafka', () => {
  let kafka: TestKafka;
  let proxy: KafkaProxy;

  beforeAll(async () => {
    kafka = await startTestKafka();
    proxy = await startKafkaProxy(kafka.brokers);
  });
  afterAll(async () => {
    await proxy?.close();
    await kafka?.stop();
  });

  const config = () =>
    kafkaConfigFromBrokers([...proxy.brokers], {
      socketFactory: proxy.socketFactory,
      requestTimeout: 5_000,
      connectionTimeout: 1_000,
      retry: fastRetries,
      log: () => {},
      maxWaitTimeInMs: 100,
    });

  it('delivers every summary to a consumer group, keyed by stream, in version order per stream, with its headers', async () => {
    const topic = `balances-${randomUUID().slice(0, 8)}`;
    const publisher = createKafkaSummaryPublisher({ config: config() });
    const streams = ['Account-1', 'Account-2', 'Account-3', 'Account-4', 'Account-5'];
    await Promise.all(
      streams.map(async (stream) => {
        for (let version = 1; version <= 6; version++)
          await publisher.publish(record(topic, stream, version, version * 10));
      }),
    );
    // a re-send of an old version, as after a restart: consumers must ignore it
    await publisher.publish(record(topic, 'Account-1', 3, 30));
    // versions of one stream published without waiting: they share a request and keep their order in it
    const burst = 'Account-6';
    await Promise.all([1, 2, 3, 4, 5, 6].map((version) => publisher.publish(record(topic, burst, version, version))));

    const received: ReceivedSummary<{ balance: number }>[] = [];
    const consumer = createSummaryConsumer({
      config: config(),
      groupId: `g-${randomUUID().slice(0, 8)}`,
      contract: balanceContract(topic),
      handle: async (summary) => {
        received.push(summary);
      },
      onUnreadable: (message) => {
        throw new Error(`unexpected unreadable summary: ${message.problem}`);
      },
    });
    await consumer.start();
    try {
      await until(
        () => consumer.stats().summaries.handled + consumer.stats().summaries.stale === 37,
        'all 37 summaries',
      );
      expect(consumer.stats().summaries).toMatchObject({ handled: 36, stale: 1, unreadable: 0 });
      for (const stream of [...streams, burst]) {
        const versions = received.filter((s) => s.envelope.stream === stream).map((s) => Number(s.envelope.version));
        expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
        expect(new Set(received.filter((s) => s.envelope.stream === stream).map((s) => s.source.partition)).size).toBe(
          1,
        );
      }
      const first = received.find((s) => s.envelope.stream === 'Account-2' && s.envelope.version === 2n);
      expect(first?.envelope).toEqual({
        stream: 'Account-2',
        version: 2n,
        contract: 'AccountBalance',
        contractVersion: 1,
        idempotencyKey: 'Account-2:2:AccountBalance@1',
        correlationId: 'corr-Account-2-2',
        source: 'urn:tributary:AccountBalance',
      });
      expect(first?.body).toEqual({ balance: 20 });
    } finally {
      await consumer.stop();
      await publisher.close();
    }
  });

  it('sends the summaries published in one turn of the event loop in one request, the next ones in the next', async () => {
    const topic = `turns-${randomUUID().slice(0, 8)}`;
    const publisher = createKafkaSummaryPublisher({ config: config() });
    try {
      await publisher.publish(record(topic, 'Account-0', 1, 0)); // the topic and its leaders are known from here
      await new Promise((resolve) => setTimeout(resolve, 20)); // nothing in flight: the burst starts a send
      const before = publisher.stats().requests;
      await Promise.all(Array.from({ length: 20 }, (_, k) => publisher.publish(record(topic, `Account-${k}`, 2, k))));
      expect(publisher.stats().requests - before).toBe(1);
      expect(publisher.stats().published).toBe(21);
    } finally {
      await publisher.close();
    }
  });

  it('refuses a summary over 1 MB with a typed error instead of truncating it', async () => {
    const publisher = createKafkaSummaryPublisher({ config: config() });
    try {
      const huge = { ...record('big', 'Account-9', 1, 1), body: { blob: 'x'.repeat(1_100_000) } };
      await expect(publisher.publish(huge)).rejects.toBeInstanceOf(SummaryTooLarge);
      expect(publisher.stats().requests).toBe(0);
    } finally {
      await publisher.close();
    }
  });

  it('keeps a publish pending while the brokers are unreachable and completes it once they are back', async () => {
    const topic = `outage-${randomUUID().slice(0, 8)}`;
    const publisher = createKafkaSummaryPublisher({ config: config() });
    try {
      await publisher.publish(record(topic, 'Account-7', 1, 1));
      proxy.cut();
      let acknowledged = false;
      const pending = publisher.publish(record(topic, 'Account-7', 2, 2)).then(() => {
        acknowledged = true;
      });
      await until(() => proxy.refusedWhileCut >= 2, 'the producer to retry against the cut brokers');
      expect(acknowledged).toBe(false);
      proxy.restore();
      await pending;
      expect(acknowledged).toBe(true);
    } finally {
      proxy.restore();
      await publisher.close();
    }
  });
});
