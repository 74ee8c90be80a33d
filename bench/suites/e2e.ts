import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { z } from 'zod';
import { createChangeFeedProcessor } from '../../src/feed/index.ts';
import { createCosmosStore, ensureContainers } from '../../src/store/index.ts';
import { createStreamScheduler } from '../../src/streams/index.ts';
import {
  createKafkaSummaryPublisher,
  createSummaryReactor,
  defineSummaryContract,
  kafkaConfigFromBrokers,
  parseEnvelope,
} from '../../src/summaries/index.ts';
import { startTestKafka } from '../../test/support/kafka.ts';
import { startBenchCosmos } from '../harness/cosmos.ts';
import { atMost, measured, percentile } from '../harness/result.ts';
import type { BenchContext } from '../harness/suite.ts';
import { benchCodec } from './bench-domain.ts';

interface Account {
  balance: number;
  count: number;
}

/**
 * `e2e.latency.p50_ms` / `p99_ms`: from a command accepted (the append acknowledged) to its summary consumed by a
 * downstream Kafka consumer: change feed → scheduler → summary reactor (state load, render) → kafkajs → broker →
 * consumer. Commands arrive at a steady pace on 50 streams while the pipeline runs.
 */
export async function run(context: BenchContext): Promise<void> {
  const commands = context.quick ? 150 : 600;
  const streams = 50;
  const consumerWaitMs = 20;
  const [cosmos, kafka] = await Promise.all([startBenchCosmos({ partitions: 2 }), startTestKafka()]);
  const topic = `e2e-${randomUUID().slice(0, 8)}`;
  try {
    const databaseId = 'bench-e2e';
    await ensureContainers(cosmos.client, { databaseId });
    const database = cosmos.client.database(databaseId);
    const store = createCosmosStore({ client: cosmos.client, databaseId });
    const fold = {
      initial: { balance: 0, count: 0 } as Account,
      evolve: (state: Account, event: { data: { amount: number } }): Account => ({
        balance: state.balance + event.data.amount,
        count: state.count + 1,
      }),
    };
    const writer = store.category({ name: 'Account', codec: benchCodec, fold });
    const config = kafkaConfigFromBrokers([...kafka.brokers], { log: () => {} });
    const publisher = createKafkaSummaryPublisher({ config });
    const reactor = createSummaryReactor({
      contract: defineSummaryContract({
        name: 'AccountBalance',
        version: 1,
        schema: z.object({ balance: z.number(), transactions: z.number() }),
        topic,
      }),
      category: store.category({ name: 'Account', codec: benchCodec, fold }),
      render: (state) => ({ balance: state.balance, transactions: state.count }),
      publisher,
    });
    const scheduler = createStreamScheduler({ name: reactor.processorName, handle: reactor.handle });
    const processor = createChangeFeedProcessor({
      name: reactor.processorName,
      monitored: database.container('events'),
      leases: database.container('leases'),
      sink: scheduler,
      startFrom: 'beginning',
    });

    // version seen downstream per stream, and who is waiting for which version
    const waiting = new Map<string, { version: number; resolve: (at: number) => void }[]>();
    const consumer = new Kafka({ clientId: 'bench-e2e', brokers: [...kafka.brokers], logLevel: 0 }).consumer({
      groupId: `bench-e2e-${randomUUID().slice(0, 8)}`,
      maxWaitTimeInMs: consumerWaitMs,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const at = performance.now();
        const envelope = parseEnvelope(message.headers);
        if (!envelope) return;
        const list = waiting.get(envelope.stream) ?? [];
        const still = list.filter((w) => {
          if (w.version > Number(envelope.version)) return true;
          w.resolve(at);
          return false;
        });
        waiting.set(envelope.stream, still);
      },
    });
    await processor.start();
    const arrival = (stream: string, version: number) =>
      new Promise<number>((resolve) => {
        const list = waiting.get(stream) ?? [];
        list.push({ version, resolve });
        waiting.set(stream, list);
      });

    // warm-up: one command per stream, not measured (consumer group join, topic creation, first loads)
    await Promise.all(
      Array.from({ length: streams }, async (_, s) => {
        const outcome = await writer.transact(String(s), () => [{ type: 'Deposited', data: { amount: 1 } }]);
        await arrival(`Account-${s}`, Number(outcome.version));
      }),
    );

    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    for (let c = 0; c < commands; c++) {
      const s = c % streams;
      const outcome = await writer.transact(String(s), () => [{ type: 'Deposited', data: { amount: 1 } }]);
      const accepted = performance.now();
      pending.push(arrival(`Account-${s}`, Number(outcome.version)).then((at) => void latencies.push(at - accepted)));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.race([
      Promise.all(pending),
      new Promise((_, reject) => setTimeout(() => reject(new Error('summaries did not all arrive in 120 s')), 120_000)),
    ]);
    await processor.stop();
    scheduler.close();
    await publisher.close();
    await consumer.disconnect();
    const note = `${commands} commands on ${streams} streams (2 ranges), one every ~10 ms; the processor at its default settings (a range is read again at once after a page with changes, 0.5 s after the first read that found none, backing off to 8 s while idle), consumer fetch wait ${consumerWaitMs} ms; librdkafka mock cluster and the in-process Cosmos server on this machine`;
    context.emit(measured('e2e.latency.p50_ms', percentile(latencies, 50), 'ms', { note }));
    context.emit(measured('e2e.latency.p99_ms', percentile(latencies, 99), 'ms', { goal: atMost(2_000), note }));
  } finally {
    await Promise.all([cosmos.close(), kafka.stop()]);
  }
}
