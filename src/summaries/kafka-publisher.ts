import { Kafka, type Producer } from 'kafkajs';
import { SummaryPublishFailed } from './errors.ts';
import type { SummaryKafkaConfig } from './kafka-config.ts';
import { type EncodedSummary, encodeSummary, type SummaryPublisher, type SummaryRecord } from './publisher.ts';

export interface KafkaSummaryPublisherOptions {
  /** from `kafkaConfigFromEventHubsConnectionString`, `kafkaConfigFromEventHubsCredential` or `kafkaConfigFromBrokers` */
  readonly config: SummaryKafkaConfig;
}

export interface KafkaSummaryPublisher extends SummaryPublisher {
  stats(): { readonly published: number; readonly requests: number; readonly failedRequests: number };
}

interface Pending {
  readonly message: EncodedSummary;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Publishes summaries with kafkajs: key = stream name (so a stream's summaries share a partition), gzip, acks from
 * all in-sync replicas. Summaries published while a request is in flight are queued and sent together in the next
 * request, bounded by the 1 MB request limit of Event Hubs. Exactly one produce request is in flight at a time, and
 * kafkajs is configured with `maxInFlightRequests: 1`: a retried request is never overtaken by a later one, so the
 * summaries of a key reach their partition in the order `publish` was called.
 */
export function createKafkaSummaryPublisher(options: KafkaSummaryPublisherOptions): KafkaSummaryPublisher {
  const { config } = options;
  const kafka = new Kafka(config.client);
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  let queue: Pending[] = [];
  let flight: Promise<void> | undefined;
  let closed = false;
  const counters = { published: 0, requests: 0, failedRequests: 0 };

  const connected = (): Promise<Producer> => {
    if (producer) return Promise.resolve(producer);
    connecting ??= (async () => {
      const created = kafka.producer(config.producer);
      try {
        await created.connect();
      } catch (error) {
        connecting = undefined;
        throw error;
      }
      producer = created;
      return created;
    })();
    return connecting;
  };

  const takeBatch = (): Pending[] => {
    let bytes = 0;
    let count = 0;
    for (const pending of queue) {
      if (count > 0 && bytes + pending.message.bytes > config.maxMessageBytes) break;
      bytes += pending.message.bytes;
      count += 1;
    }
    const batch = queue.slice(0, count);
    queue = queue.slice(count);
    return batch;
  };

  const sendQueued = (): void => {
    flight ??= drain().finally(() => {
      flight = undefined;
      // a summary queued after the loop's last check and before this callback must not be stranded
      if (queue.length > 0) sendQueued();
    });
  };

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = takeBatch();
      const byTopic = new Map<string, EncodedSummary[]>();
      for (const { message } of batch) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
      counters.requests += 1;
      try {
        const ready = await connected();
        await ready.sendBatch({
          ...config.send,
          topicMessages: [...byTopic].map(([topic, messages]) => ({
            topic,
            messages: messages.map(({ key, value, headers }) => ({ key, value, headers })),
          })),
        });
        counters.published += batch.length;
        for (const pending of batch) pending.resolve();
      } catch (error) {
        counters.failedRequests += 1;
        const reason = config.redact(error instanceof Error ? error.message : String(error));
        for (const pending of batch) {
          pending.reject(new SummaryPublishFailed(pending.message.topic, pending.message.key, reason));
        }
      }
    }
  };

  return {
    publish(record: SummaryRecord): Promise<void> {
      if (closed)
        return Promise.reject(
          new SummaryPublishFailed(record.topic, record.envelope.stream, 'the publisher is closed'),
        );
      let message: EncodedSummary;
      try {
        message = encodeSummary(record, config.maxMessageBytes);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ message, resolve, reject });
        sendQueued();
      });
    },
    async close() {
      closed = true;
      await flight;
      const current = producer ?? (connecting ? await connecting.catch(() => undefined) : undefined);
      producer = undefined;
      await current?.disconnect();
    },
    stats: () => ({ ...counters }),
  };
}
