import { randomUUID } from 'node:crypto';
import { Kafka, type KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import {
  createSummaryConsumer,
  defineSummaryContract,
  envelopeHeaders,
  idempotencyKey,
  kafkaConfigFromBrokers,
  parseEnvelope,
} from '../../src/summaries/index.ts';
import { startTestKafka } from '../../test/support/kafka.ts';
import { type PlainMessage, produceRaw } from '../baselines/raw-kafka.ts';
import { withDeadline } from '../harness/deadline.ts';
import { atLeast, measured } from '../harness/result.ts';
import { sideBySide } from '../harness/side-by-side.ts';
import type { BenchContext } from '../harness/suite.ts';

const contract = (topic: string) =>
  defineSummaryContract({ name: 'AccountBalance', version: 1, schema: z.object({ balance: z.number() }), topic });

/**
 * `consumer.throughput.ratio`: summaries/s through the summary consumer on the stream scheduler (envelope, version
 * memory, schema check, per-stream ordering, low-water-mark commits) vs a bare kafkajs `eachMessage` consumer, both
 * with a no-op handler, over the same topic (4 partitions, librdkafka mock cluster). `consumer.slow_handler.speedup`:
 * the same with a 5 ms handler over 1,000 keys, where the scheduler runs streams of a partition in parallel and
 * `eachMessage` handles a partition's messages one at a time. Each side is timed from its first message to its last,
 * so the group join is not counted.
 */
export async function run(context: BenchContext): Promise<void> {
  const kafka = await startTestKafka();
  try {
    // The quick run keeps the full size: a round over 10,000 summaries lasted a quarter of a second, and its ratio
    // spread over 0.72–0.88 in three quick runs where the full run read 0.92.
    const noOp = await compare(context, kafka.brokers, 40_000, 1_000, 0);
    const decoding = await sideBySide(
      context.rounds,
      () => timeBare(kafka.brokers, noOp.topic, noOp.count + 1, decodeLikeTheHelper(noOp.topic)),
      () => timeBare(kafka.brokers, noOp.topic, noOp.count + 1, () => Promise.resolve()),
    );
    context.emit(
      measured('consumer.throughput.ratio', noOp.tributary, 'summaries/s', {
        goal: atLeast(0.8),
        baseline: noOp.baseline,
        note: `${noOp.count.toLocaleString('en-US')} summaries over 1,000 keys, 4 partitions, no-op handler; Tributary = createSummaryConsumer (scheduler, 16 streams at once, in-memory version memory, commits every 1 s); baseline = bare kafkajs eachMessage (partitionsConsumedConcurrently 4, auto-commit); one warm-up run each, then medians of ${noOp.rounds} interleaved rounds. The same bare consumer reading each message's envelope and checking its body against the schema (what the helper does before the handler, without scheduler or version memory) reached ${Math.round(decoding.tributary)} summaries/s against ${Math.round(decoding.baseline)} without (ratio ${(decoding.tributary / decoding.baseline).toFixed(2)})`,
      }),
    );
    const slow = await compare(context, kafka.brokers, context.quick ? 2_000 : 5_000, 1_000, 5);
    context.emit(
      measured('consumer.slow_handler.speedup', slow.tributary / slow.baseline, 'x', {
        note: `5 ms handler, ${slow.count.toLocaleString('en-US')} summaries over 1,000 keys, 4 partitions: Tributary ${Math.round(slow.tributary)} summaries/s with 64 streams at once vs bare eachMessage ${Math.round(slow.baseline)} summaries/s (one message at a time per partition, 4 partitions at once)`,
      }),
    );
  } finally {
    await kafka.stop();
  }
}

async function compare(
  context: BenchContext,
  brokers: readonly string[],
  count: number,
  keys: number,
  handlerMs: number,
) {
  const topic = `consumer-${handlerMs}-${randomUUID().slice(0, 6)}`;
  const messages: PlainMessage[] = [];
  for (let i = 0; i < count; i++) {
    const stream = `Account-${i % keys}`;
    const version = BigInt(Math.floor(i / keys) + 1);
    messages.push({
      key: stream,
      value: JSON.stringify({ balance: i }),
      headers: envelopeHeaders({
        stream,
        version,
        contract: 'AccountBalance',
        contractVersion: 1,
        idempotencyKey: idempotencyKey(stream, version, 'AccountBalance', 1),
      }),
    });
  }
  await produceRaw(brokers, topic, messages, 500);
  const total = count + 1; // the producer's warm-up message is on the topic too
  const work = handlerMs === 0 ? () => Promise.resolve() : () => new Promise<void>((r) => setTimeout(r, handlerMs));
  const tributary = () => timeTributary(brokers, topic, total, work, handlerMs === 0 ? 16 : 64);
  const bare = () => timeBare(brokers, topic, total, work);
  // One unmeasured run of each side first, so that neither median carries the JIT's warm-up.
  await tributary();
  await bare();
  const rounds = Math.max(context.rounds, 5);
  const result = await sideBySide(rounds, tributary, bare);
  return { ...result, count, topic, rounds };
}

async function timeTributary(
  brokers: readonly string[],
  topic: string,
  total: number,
  work: () => Promise<void>,
  maxConcurrentStreams: number,
): Promise<number> {
  const clock = firstToLast(total);
  const consumer = createSummaryConsumer({
    config: kafkaConfigFromBrokers([...brokers], { log: () => {}, maxWaitTimeInMs: 100 }),
    groupId: `bench-t-${randomUUID().slice(0, 6)}`,
    contract: contract(topic),
    maxConcurrentStreams,
    handle: async () => {
      await work();
      clock.tick();
    },
    onUnreadable: () => clock.tick(),
  });
  await consumer.start();
  try {
    return await withDeadline(clock.done, 600_000, 'the summary consumer to read the topic');
  } finally {
    await consumer.stop();
  }
}

/** A handler doing what the helper does to a message before its handler: envelope, JSON, schema. */
function decodeLikeTheHelper(topic: string) {
  const schema = contract(topic).schema;
  return async (message: KafkaMessage) => {
    const envelope = parseEnvelope(message.headers);
    if (envelope !== undefined) schema.safeParse(JSON.parse(message.value?.toString('utf8') ?? 'null'));
  };
}

async function timeBare(
  brokers: readonly string[],
  topic: string,
  total: number,
  work: (message: KafkaMessage) => Promise<void>,
) {
  const clock = firstToLast(total);
  const kafka = new Kafka({ clientId: 'bench-bare', brokers: [...brokers], logLevel: 0 });
  const consumer = kafka.consumer({ groupId: `bench-b-${randomUUID().slice(0, 6)}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 4,
    eachMessage: async ({ message }) => {
      await work(message);
      clock.tick();
    },
  });
  try {
    return await withDeadline(clock.done, 600_000, 'the bare consumer to read the topic');
  } finally {
    await consumer.disconnect();
  }
}

/** messages/s from the first message handled to the last */
function firstToLast(total: number) {
  let seen = 0;
  let first = 0;
  let resolve: (rate: number) => void = () => {};
  const done = new Promise<number>((r) => {
    resolve = r;
  });
  return {
    done,
    tick() {
      if (seen++ === 0) first = performance.now();
      if (seen === total) resolve((total - 1) / ((performance.now() - first) / 1000));
    },
  };
}
