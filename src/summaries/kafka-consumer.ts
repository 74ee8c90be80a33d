import type { Consumer, KafkaMessage, TopicPartitions } from 'kafkajs';
import { createIngestQueue } from './consumer-ingest-queue.ts';
import type { ConsumerMessage } from './consumer-message.ts';
import {
  type ConsumerScheduler,
  type ConsumerSchedulingOptions,
  type ConsumerStats,
  createConsumerScheduler,
} from './consumer-scheduler.ts';
import type { SummaryContract } from './contract.ts';
import type { SummaryKafkaConfig } from './kafka-config.ts';
import { kafkajs } from './kafkajs.ts';
import type { LastSeenVersions, SummaryHandler, UnreadableMessage } from './receiver.ts';

export interface SummaryConsumerOptions<T> extends ConsumerSchedulingOptions {
  readonly config: SummaryKafkaConfig;
  /** the Kafka consumer group (on Event Hubs, separate from the hub's AMQP consumer groups; created on first use) */
  readonly groupId: string;
  readonly contract: SummaryContract<T>;
  /**
   * Called once per newer summary of a stream, in order per stream, several streams at a time. Throwing retries it
   * with backoff (and parks the stream after `parking.afterAttempts`); answering `notYet` offers it again later.
   */
  readonly handle: SummaryHandler<T>;
  /** where the newest handled version per stream is kept; in memory by default (see `cosmosLastSeenVersions`) */
  readonly lastSeen?: LastSeenVersions;
  /** a new group starts from the oldest retained summary (default true) or only new ones */
  readonly fromBeginning?: boolean;
  /** partitions read in parallel. Default 4 */
  readonly partitionsConsumedConcurrently?: number;
  /** how often each partition's low-water mark is committed (when it moved). Default 1,000 ms */
  readonly commitIntervalMs?: number;
  /**
   * How long `stop()` waits for the messages read to be handled (or parked) before it commits the low-water marks
   * and leaves: what is still unfinished then is read again by the partitions' next owner. Default 10,000 ms
   */
  readonly settleTimeoutMs?: number;
  /**
   * Given each message this consumer can't read (not a summary, another contract, a newer version its schema rejects,
   * not JSON, an invalid shape). With `parking`, the message is then parked with its stream; without, passed over.
   * Throwing treats it as a failure of its stream (retried).
   */
  readonly onUnreadable: (message: UnreadableMessage) => void | Promise<void>;
}

export interface SummaryConsumer {
  /** joins the group and starts handling; resolves once the consumer is running */
  start(): Promise<void>;
  /** settles in-flight batches (up to `settleTimeoutMs`), commits their low-water marks and leaves the group */
  stop(): Promise<void>;
  stats(): ConsumerStats;
  readonly parked: ConsumerScheduler['parked'];
}

/**
 * A downstream Kafka consumer of one summary contract on the stream scheduler: a partition's messages are keyed by
 * stream (the message key) and handled in order per stream, several streams at a time; a stream that fails is
 * retried and, with parking, parked with its messages while the rest of the partition flows. The committed offset is
 * the partition's low-water mark: never past a message not yet handled or parked. Summaries whose version is not
 * newer than the last one handled for the stream are skipped (re-sends, re-reads after a restart).
 */
export function createSummaryConsumer<T>(options: SummaryConsumerOptions<T>): SummaryConsumer {
  const name = options.name ?? options.groupId;
  const commitIntervalMs = options.commitIntervalMs ?? 1_000;
  const settleTimeoutMs = options.settleTimeoutMs ?? 10_000;
  // One engine per run: stopping quiesces it for good (no retries start after a stop).
  let engine = createConsumerScheduler({ ...options, name });
  let used = false;
  let consumer: Consumer | undefined;
  let committer: NodeJS.Timeout | undefined;

  return {
    async start() {
      if (consumer) return;
      if (used) engine = createConsumerScheduler({ ...options, name });
      used = true;
      const running = engine;
      const kafka = new (kafkajs().Kafka)(options.config.client);
      const created = kafka.consumer({ ...options.config.consumer, groupId: options.groupId });
      consumer = created;
      const offsets = createOffsetCommitter(running, created);
      const queue = createIngestQueue();
      let rebalancing = false;
      created.on(created.events.REBALANCING, () => {
        rebalancing = true;
      });
      // After a join kafkajs reads every assigned partition again from its committed offset: the work of the
      // previous assignment is let go (what runs finishes; nothing of it is committed beyond the low-water mark).
      created.on(created.events.GROUP_JOIN, () => {
        rebalancing = false;
        queue.newGeneration();
        for (const { topic, partition } of running.partitions()) running.revoke(topic, partition);
        offsets.forget();
      });
      committer = setInterval(() => {
        if (!rebalancing) void offsets.commit();
      }, commitIntervalMs);
      // A `stop()` while joining leaves `consumer` unset: the join is then abandoned and its connection closed.
      const stopped = () => consumer !== created;
      try {
        await created.connect();
        if (stopped()) throw new SummaryConsumerStopped();
        await created.subscribe({ topic: options.contract.topic, fromBeginning: options.fromBeginning ?? true });
        if (stopped()) throw new SummaryConsumerStopped();
        await created.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
          // kafkajs fetches a broker's next batches only when every batch of its last fetch has returned: a batch is
          // queued and handed to the scheduler once that fetch is on its way (waiting here for a slow or failing
          // stream would stall every partition; only a full queue or scheduler holds the fetch back).
          eachBatch: async ({ batch, resolveOffset }) => {
            const partition = String(batch.partition);
            running.noteNewest(batch.topic, partition, BigInt(batch.highWatermark));
            if (batch.messages.length === 0) return;
            const { messages, topic } = batch;
            await queue.add(async () => {
              if (!stopped()) await running.ingest(topic, partition, messages.map(kafkaMessage));
            });
            resolveOffset(batch.lastOffset());
          },
        });
      } catch (error) {
        if (consumer === created) {
          consumer = undefined;
          clearInterval(committer);
        }
        await created.disconnect().catch(() => undefined);
        if (error instanceof SummaryConsumerStopped) return;
        throw error;
      }
    },
    async stop() {
      const current = consumer;
      consumer = undefined;
      if (!current) return;
      clearInterval(committer);
      const offsets = createOffsetCommitter(engine, current);
      const reading = engine.partitions();
      if (reading.length > 0) current.pause(groupTopics(reading));
      const settleBy = sleep(settleTimeoutMs);
      await Promise.race([engine.awaitCompletion(), settleBy]);
      await offsets.commit();
      await current.disconnect();
      for (const { topic, partition } of engine.partitions()) engine.revoke(topic, partition);
      // A handler that never returns is abandoned here: its message was not committed, the next owner reads it.
      await Promise.race([engine.quiesce(), settleBy]);
      engine.close();
    },
    stats: () => engine.stats(),
    parked: {
      list: () => engine.parked.list(),
      replay: (stream) => engine.parked.replay(stream),
    },
  };
}

/** Commits each partition's low-water mark when it has moved since the last commit. */
function createOffsetCommitter(engine: ConsumerScheduler, consumer: Consumer) {
  let committed = new Map<string, bigint>();
  let committing = false;
  return {
    async commit() {
      if (committing) return;
      committing = true;
      try {
        for (const { topic, partition } of engine.partitions()) {
          const offset = engine.committable(topic, partition);
          const key = `${topic}/${partition}`;
          if (offset === undefined || committed.get(key) === offset) continue;
          try {
            await consumer.commitOffsets([{ topic, partition: Number(partition), offset: offset.toString() }]);
            committed.set(key, offset);
            engine.noteCommitted(topic, partition, offset);
          } catch {
            // Refused during a rebalance: the partition's next owner reads from the last offset that was committed.
          }
        }
      } finally {
        committing = false;
      }
    },
    forget() {
      committed = new Map();
    },
  };
}

function kafkaMessage(message: KafkaMessage): ConsumerMessage {
  return {
    key: message.key?.toString('utf8'),
    headers: message.headers,
    value: message.value,
    offset: BigInt(message.offset),
    timestamp: new Date(Number(message.timestamp)),
  };
}

function groupTopics(reading: { topic: string; partition: string }[]): TopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of reading) byTopic.set(topic, [...(byTopic.get(topic) ?? []), Number(partition)]);
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

/** `stop()` was called while `start()` was joining. */
class SummaryConsumerStopped extends Error {}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
