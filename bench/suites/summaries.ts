import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createChangeFeedProcessor } from '../../src/feed/index.ts';
import { createCosmosStore, ensureContainers } from '../../src/store/index.ts';
import { createStreamScheduler } from '../../src/streams/index.ts';
import {
  createKafkaSummaryPublisher,
  createSummaryReactor,
  defineSummaryContract,
  encodeSummary,
  idempotencyKey,
  kafkaConfigFromBrokers,
} from '../../src/summaries/index.ts';
import { startTestKafka } from '../../test/support/kafka.ts';
import { type PlainMessage, produceRaw } from '../baselines/raw-kafka.ts';
import { startBenchCosmos } from '../harness/cosmos.ts';
import { atLeast, measured } from '../harness/result.ts';
import { seedStreams } from '../harness/seed.ts';
import { sideBySide } from '../harness/side-by-side.ts';
import type { BenchContext } from '../harness/suite.ts';
import { benchCodec, benchFold } from './bench-domain.ts';

/**
 * `summaries.throughput.ratio`: summaries/s published by the summary reactor — change feed → scheduler → load the
 * stream's state → render and validate → publish with kafkajs, acks = all, gzip — vs a bare kafkajs producer sending
 * the very same messages (key, value, headers) in batches of the same size, to the librdkafka mock cluster.
 */
export async function run(context: BenchContext): Promise<void> {
  const streams = context.quick ? 1_000 : 5_000;
  const concurrency = 64;
  const [cosmos, kafka] = await Promise.all([startBenchCosmos({ partitions: 4 }), startTestKafka()]);
  try {
    const databaseId = 'bench-summaries';
    await ensureContainers(cosmos.client, { databaseId });
    const database = cosmos.client.database(databaseId);
    await seedStreams(database.container('events'), { streams, eventsPerStream: 10, category: 'Account' });
    const store = createCosmosStore({ client: cosmos.client, databaseId });
    const accounts = store.category({ name: 'Account', codec: benchCodec, fold: benchFold });
    const contract = defineSummaryContract({
      name: 'AccountBalance',
      version: 1,
      schema: z.object({ balance: z.number(), transactions: z.number() }),
      topic: 'unused',
    });
    const render = (state: { balance: number; count: number }) => ({ balance: state.balance, transactions: state.count });
    const config = kafkaConfigFromBrokers([...kafka.brokers], { log: () => {} });

    // The same messages for the baseline: what the reactor publishes for each stream.
    const messages: PlainMessage[] = [];
    for (let s = 0; s < streams; s++) {
      const stream = `Account-${s}`;
      const { state, version } = await accounts.load(String(s));
      const encoded = encodeSummary({
        topic: 'unused',
        envelope: {
          stream,
          version,
          contract: contract.name,
          contractVersion: contract.version,
          idempotencyKey: idempotencyKey(stream, version, contract.name, contract.version),
        },
        body: render(state),
      });
      messages.push({ key: encoded.key, value: encoded.value, headers: encoded.headers });
    }

    const result = await sideBySide(
      context.rounds,
      async (round) => {
        const topic = `tributary-${round}-${randomUUID().slice(0, 6)}`;
        const publisher = createKafkaSummaryPublisher({ config });
        const reactor = createSummaryReactor({
          contract: { ...contract, topic },
          category: store.category({ name: 'Account', codec: benchCodec, fold: benchFold }),
          render,
          publisher,
        });
        let published = 0;
        let reached: () => void = () => {};
        const all = new Promise<void>((resolve) => {
          reached = resolve;
        });
        const scheduler = createStreamScheduler({
          name: `${reactor.processorName}-${round}`,
          maxConcurrentStreams: concurrency,
          handle: async (span) => {
            const outcome = await reactor.handle(span);
            published++;
            if (published >= streams) reached();
            return outcome;
          },
        });
        const processor = createChangeFeedProcessor({
          name: `${reactor.processorName}-${round}`,
          monitored: database.container('events'),
          leases: database.container('leases'),
          sink: scheduler,
          startFrom: 'beginning',
        });
        // connect first so that both sides start with a connected producer
        await publisher.publish({
          topic,
          envelope: { stream: 'Warmup-0', version: 0n, contract: contract.name, contractVersion: 1, idempotencyKey: 'warmup' },
          body: { balance: 0, transactions: 0 },
        });
        const started = performance.now();
        await processor.start();
        await all;
        const rate = streams / ((performance.now() - started) / 1000);
        await processor.stop();
        scheduler.close();
        await publisher.close();
        if (publisher.stats().published < streams) throw new Error('the reactor published fewer summaries than streams');
        return rate;
      },
      async (round) => {
        const topic = `raw-${round}-${randomUUID().slice(0, 6)}`;
        return produceRaw(kafka.brokers, topic, messages, concurrency);
      },
    );
    context.emit(
      measured('summaries.throughput.ratio', result.tributary, 'summaries/s', {
        goal: atLeast(0.8),
        baseline: result.baseline,
        note: `${streams.toLocaleString('en-US')} streams, one summary each, to the librdkafka mock cluster (3 brokers); Tributary = change feed → scheduler (${concurrency} streams at once) → state load → render + zod check → kafkajs (acks all, gzip, one request in flight, queued summaries batched); baseline = bare kafkajs producer sending the same messages in batches of ${concurrency}, connected beforehand; medians of ${context.rounds} interleaved rounds`,
      }),
    );
  } finally {
    await Promise.all([cosmos.close(), kafka.stop()]);
  }
}
