/**
 * Broker outage: the connections between the summary publisher and the Kafka cluster are cut by a proxy while
 * events keep being written, then restored. Invariant: no summary is lost — every stream's summary of its final
 * version reaches the downstream consumer, and every publish the publisher acknowledged (which lets the checkpoint
 * move) is received downstream — per stream the versions received never go backwards, and each summary's body is
 * exactly the state at the version its headers carry.
 */
import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createChangeFeedProcessor } from '../../src/feed/index.ts';
import { createCosmosStore } from '../../src/store/index.ts';
import { createStreamScheduler } from '../../src/streams/index.ts';
import {
  createKafkaSummaryPublisher,
  createSummaryReactor,
  defineSummaryContract,
  kafkaConfigFromBrokers,
  parseEnvelope,
} from '../../src/summaries/index.ts';
import { skipKafka, startKafkaProxy, startTestKafka } from '../support/kafka.ts';
import { openLedger, scaled } from './support/ledger.ts';
import { runSeed, seededRandom } from './support/random.ts';
import { replayEvents } from './support/replay.ts';
import { eventually, skipWithoutLocalCosmos, startFaultCosmos } from './support/setup.ts';
import { itemCodec, writeItems } from './support/workload.ts';

const ledger = openLedger(import.meta.filename);
afterAll(() => ledger.flush());

describe.skipIf(skipWithoutLocalCosmos || skipKafka)('broker outage', () => {
  it(
    'delivers every stream’s latest summary, in version order, after the brokers come back',
    async () => {
      ledger.scenario();
      const random = seededRandom(runSeed());
      const streams = scaled(20, 200);
      const [faults, kafka] = await Promise.all([startFaultCosmos(), startTestKafka()]);
      const proxy = await startKafkaProxy(kafka.brokers);
      const topic = `faults-${randomUUID().slice(0, 8)}`;
      const store = createCosmosStore({ client: faults.cosmos.client, databaseId: faults.database.id });
      const items = store.category({
        name: 'Item',
        codec: itemCodec,
        fold: { initial: 0, evolve: (count: number) => count + 1 },
      });
      const contract = defineSummaryContract({
        name: 'ItemSummary',
        version: 1,
        schema: z.object({ count: z.number() }),
        topic,
      });
      const publisher = createKafkaSummaryPublisher({
        config: kafkaConfigFromBrokers([...proxy.brokers], {
          socketFactory: proxy.socketFactory,
          requestTimeout: 2_000,
          connectionTimeout: 500,
          retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
          log: () => {},
        }),
      });
      // What the publisher acknowledged: each must be on the broker, or the checkpoint moved past a lost summary.
      const acknowledged: { stream: string; version: number }[] = [];
      const reactor = createSummaryReactor({
        contract,
        category: items,
        render: (count) => ({ count }),
        publisher: {
          publish: (summary) =>
            publisher.publish(summary).then(() => {
              acknowledged.push({ stream: summary.envelope.stream, version: Number(summary.envelope.version) });
            }),
          close: () => publisher.close(),
        },
      });
      const scheduler = createStreamScheduler({
        name: reactor.processorName,
        handle: reactor.handle,
        retry: { initialDelayMs: 100, maxDelayMs: 1_000 },
      });
      const processor = createChangeFeedProcessor({
        name: reactor.processorName,
        monitored: faults.database.container('events'),
        leases: faults.database.container('leases'),
        sink: scheduler,
        startFrom: 'beginning',
        pollIntervalMs: 50,
        checkpointIntervalMs: 200,
        onError: () => {},
      });
      // Downstream reads the brokers directly: only the publisher's side of the network fails.
      const received: { stream: string; version: number; count: number }[] = [];
      const consumer = new Kafka({ clientId: 'faults-downstream', brokers: [...kafka.brokers], logLevel: 0 }).consumer({
        groupId: `faults-${randomUUID().slice(0, 8)}`,
        maxWaitTimeInMs: 100,
      });
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            const envelope = parseEnvelope(message.headers);
            if (!envelope) throw new Error('a message without a Tributary envelope reached the topic');
            const body = JSON.parse(message.value?.toString('utf8') ?? 'null') as { count: number };
            received.push({ stream: envelope.stream, version: Number(envelope.version), count: body.count });
          },
        });
        await processor.start();

        await writeItems(faults, { streams, events: scaled(200, 3_000), random });
        await eventually(
          'summaries to flow',
          async () => received.length,
          (n) => n > 0,
          60_000,
        );

        proxy.cut();
        ledger.faults(1);
        await writeItems(faults, { streams, events: scaled(200, 3_000), random });
        await eventually(
          'the publisher to notice the outage, replace its connection and fail again',
          async () => publisher.stats().failedRequests,
          (n) => n >= 3,
          30_000,
        );
        proxy.restore();

        const replay = await replayEvents(faults.database.container('events'));
        const finals = new Map([...replay.streams].map(([stream, events]) => [stream, events.length]));
        const versionsOf = (stream: string) => received.filter((r) => r.stream === stream).map((r) => r.version);
        await eventually(
          'every stream’s final summary downstream',
          async () => [...finals].filter(([stream, version]) => !versionsOf(stream).includes(version)).length,
          (missing) => missing === 0,
          scaled(60_000, 240_000),
          200,
        );
        let lost = 0;
        for (const [stream, version] of finals) {
          const versions = versionsOf(stream);
          expect(versions, stream).toEqual([...versions].sort((a, b) => a - b));
          if (versions.at(-1) !== version) lost++;
        }
        for (const summary of received)
          expect(summary.count, `${summary.stream}@${summary.version}`).toBe(summary.version);
        const delivered = new Set(received.map((r) => `${r.stream}@${r.version}`));
        const acknowledgedButLost = acknowledged.filter((a) => !delivered.has(`${a.stream}@${a.version}`));
        lost += acknowledgedButLost.length;
        expect(acknowledgedButLost).toEqual([]);
        ledger.checked(replay.eventCount);
        ledger.lost(lost);
        expect(lost).toBe(0);
      } finally {
        await processor.stop().catch(() => {});
        scheduler.close();
        await publisher.close().catch(() => {});
        await consumer.disconnect().catch(() => {});
        await proxy.close();
        await Promise.all([faults.close(), kafka.stop()]);
      }
    },
    scaled(120_000, 600_000),
  );
});
