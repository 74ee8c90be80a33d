import type { Message } from 'kafkajs';
import { SummaryPublishFailed } from './errors.ts';
import type { SummaryKafkaConfig } from './kafka-config.ts';
import { kafkajs } from './kafkajs.ts';
import { createProducerConnection } from './producer-connection.ts';
import { type EncodedSummary, encodeSummary, type SummaryPublisher } from './publisher.ts';
import type { SummaryRecord } from './summary-record.ts';

export interface KafkaSummaryPublisherOptions {
  /** from `kafkaConfigFromEventHubsConnectionString`, `kafkaConfigFromEventHubsCredential` or `kafkaConfigFromBrokers` */
  readonly config: SummaryKafkaConfig;
}

export interface KafkaSummaryPublisher extends SummaryPublisher {
  stats(): {
    readonly published: number;
    readonly requests: number;
    readonly failedRequests: number;
    /** producers dropped after a failed or timed-out send, or after an idle spell, and connected anew */
    readonly connectionsReplaced: number;
  };
}

interface TopicMessages {
  readonly topic: string;
  readonly messages: Message[];
}

interface Pending {
  readonly message: EncodedSummary;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Publishes summaries with kafkajs: key = stream name (so a stream's summaries share a partition), gzip, acks from
 * all in-sync replicas. Summaries published in the same turn of the event loop, or while a request is in flight, are
 * queued and sent together in the next request, bounded by the 1 MB request limit of Event Hubs. Exactly one produce request is in flight at a time, and
 * kafkajs is configured with `maxInFlightRequests: 1`: a retried request is never overtaken by a later one, so the
 * summaries of a key reach their partition in the order `publish` was called.
 *
 * A send that fails or outlasts `config.connection.attemptTimeoutMs` replaces the producer and is tried once more
 * on the new one before the publishes fail; a producer idle for `config.connection.maxIdleMs` is replaced before it
 * sends (see `createProducerConnection`). A send abandoned that way may still have reached the broker: consumers
 * already drop a summary whose version is not newer than the one they hold.
 */
export function createKafkaSummaryPublisher(options: KafkaSummaryPublisherOptions): KafkaSummaryPublisher {
  const { config } = options;
  const connection = createProducerConnection({
    kafka: new (kafkajs().Kafka)(config.client),
    config: config.producer,
    maxIdleMs: config.connection.maxIdleMs,
  });
  let queue: Pending[] = [];
  let flight: Promise<void> | undefined;
  let closed = false;
  /** rejects each attempt in progress when the publisher closes (a Set: an EventTarget listener costs ~10 µs) */
  const onClose = new Set<() => void>();
  const counters = { published: 0, requests: 0, failedRequests: 0 };

  /** One send on the current producer, abandoned (and the producer replaced) if it fails or takes too long. */
  const attempt = async (topicMessages: TopicMessages[]): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    let rejectOnClose: (() => void) | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from the brokers within ${config.connection.attemptTimeoutMs} ms`)),
        config.connection.attemptTimeoutMs,
      );
      rejectOnClose = () => reject(new Error('the publisher was closed before the brokers answered'));
      onClose.add(rejectOnClose);
    });
    try {
      const producer = await Promise.race([connection.producer(), timeout]);
      await Promise.race([producer.sendBatch({ ...config.send, topicMessages }), timeout]);
      connection.used();
    } catch (error) {
      connection.replace();
      throw error;
    } finally {
      clearTimeout(timer);
      if (rejectOnClose) onClose.delete(rejectOnClose);
    }
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

  // A send starts on the next turn of the event loop rather than at the first publish: summaries published in the
  // same turn (a page's streams finishing together) then go in one request instead of a lone first one.
  const sendQueued = (): void => {
    flight ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain).finally(() => {
      flight = undefined;
      // a summary queued after the loop's last check and before this callback must not be stranded
      if (queue.length > 0) sendQueued();
    });
  };

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = takeBatch();
      const byTopic = new Map<string, TopicMessages>();
      for (const { message } of batch) {
        let forTopic = byTopic.get(message.topic);
        if (forTopic === undefined) {
          forTopic = { topic: message.topic, messages: [] };
          byTopic.set(message.topic, forTopic);
        }
        // kafkajs reads key, value and headers (and would read partition and timestamp, which it has not)
        forTopic.messages.push(message);
      }
      const topicMessages = [...byTopic.values()];
      counters.requests += 1;
      try {
        await attempt(topicMessages).catch((error: unknown) => {
          counters.failedRequests += 1;
          counters.requests += 1;
          if (closed) throw error;
          return attempt(topicMessages);
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
      // Publishes in flight get a bounded time to finish: a broker that is down must not hold a shutdown for the
      // sends' full timeouts. Past it, what is still queued is refused and the producer is disconnected.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        flight,
        new Promise((resolve) => {
          timer = setTimeout(resolve, config.connection.closeTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      for (const reject of onClose) reject();
      onClose.clear();
      const unsent = queue;
      queue = [];
      for (const pending of unsent) {
        pending.reject(
          new SummaryPublishFailed(pending.message.topic, pending.message.key, 'the publisher was closed first'),
        );
      }
      await connection.close(config.connection.closeTimeoutMs);
    },
    stats: () => ({ ...counters, connectionsReplaced: connection.replacements }),
  };
}
