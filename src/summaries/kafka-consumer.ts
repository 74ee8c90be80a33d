import { type Consumer, Kafka } from 'kafkajs';
import type { SummaryContract } from './contract.ts';
import type { SummaryKafkaConfig } from './kafka-config.ts';
import {
  createSummaryReceiver,
  type LastSeenVersions,
  type ReceivedSummary,
  type ReceiveOutcome,
  type UnreadableMessage,
} from './receiver.ts';

export interface SummaryConsumerOptions<T> {
  readonly config: SummaryKafkaConfig;
  /** the Kafka consumer group (on Event Hubs, separate from the hub's AMQP consumer groups; created on first use) */
  readonly groupId: string;
  readonly contract: SummaryContract<T>;
  /** called once per newer summary of a stream, in order per stream; throwing makes kafkajs redeliver it */
  readonly handle: (summary: ReceivedSummary<T>) => Promise<void>;
  /** where the newest handled version per stream is kept; in memory by default */
  readonly lastSeen?: LastSeenVersions;
  /** a new group starts from the oldest retained summary (default true) or only new ones */
  readonly fromBeginning?: boolean;
  /** partitions handled in parallel; each partition (hence each stream) stays sequential. Default 4. */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Given each message this consumer can't read (not a summary, another contract, a newer version its schema rejects,
   * not JSON, an invalid shape); it is then passed over. Throw to have it delivered again instead.
   */
  readonly onUnreadable: (message: UnreadableMessage) => void | Promise<void>;
}

export interface SummaryConsumer {
  /** joins the group and starts handling; resolves once the consumer is running */
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): Readonly<Record<ReceiveOutcome, number>>;
}

/**
 * A downstream Kafka consumer of one summary contract: a consumer group over the contract's topic, messages of a
 * partition handled one at a time (a stream's summaries share a partition, so they arrive in publish order), and
 * summaries whose version is not newer than the last one handled for the stream skipped (re-sends after a restart).
 */
export function createSummaryConsumer<T>(options: SummaryConsumerOptions<T>): SummaryConsumer {
  const receiver = createSummaryReceiver({
    contract: options.contract,
    handle: options.handle,
    lastSeen: options.lastSeen,
    onUnreadable: options.onUnreadable,
  });
  let consumer: Consumer | undefined;

  return {
    async start() {
      if (consumer) return;
      const kafka = new Kafka(options.config.client);
      const created = kafka.consumer({ ...options.config.consumer, groupId: options.groupId });
      consumer = created;
      await created.connect();
      await created.subscribe({ topic: options.contract.topic, fromBeginning: options.fromBeginning ?? true });
      await created.run({
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
        eachMessage: async ({ topic, partition, message }) => {
          await receiver.receive({
            headers: message.headers,
            value: message.value,
            source: { topic, partition: String(partition), position: message.offset },
          });
        },
      });
    },
    async stop() {
      const current = consumer;
      consumer = undefined;
      await current?.disconnect();
    },
    stats: () => receiver.stats(),
  };
}
