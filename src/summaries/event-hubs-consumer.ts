import type { EventHubConsumerClient, ReceivedEventData, SubscribeOptions, Subscription } from '@azure/event-hubs';
import type { SummaryContract } from './contract.ts';
import {
  createSummaryReceiver,
  type LastSeenVersions,
  type ReceivedSummary,
  type ReceiveOutcome,
  type UnreadableMessage,
} from './receiver.ts';

export interface EventHubsSummaryConsumerOptions<T> {
  /**
   * A client for the contract's event hub (`new EventHubConsumerClient(consumerGroup, connectionString, hubName)`
   * or with a credential), optionally with a checkpoint store for load balancing across instances.
   */
  readonly client: EventHubConsumerClient;
  readonly contract: SummaryContract<T>;
  readonly handle: (summary: ReceivedSummary<T>) => Promise<void>;
  readonly lastSeen?: LastSeenVersions;
  /** passed to `client.subscribe` (start position, batch size, wait time …) */
  readonly subscribeOptions?: SubscribeOptions;
  /**
   * Given each message this consumer can't read (not a summary, another contract, a newer version its schema rejects,
   * not JSON, an invalid shape); it is then passed over. Throwing leaves the batch without a checkpoint: the SDK stops
   * the partition, and it is read again from its last checkpoint when it is next claimed.
   */
  readonly onUnreadable: (message: UnreadableMessage) => void | Promise<void>;
  readonly onError?: (error: Error) => void;
}

export interface EventHubsSummaryConsumer {
  start(): void;
  stop(): Promise<void>;
  stats(): Readonly<Record<ReceiveOutcome, number>>;
}

/**
 * The same downstream consumer over the AMQP SDK. Event Hubs maps Kafka record headers to AMQP application
 * properties (as bytes) and the record value to the body (bytes), so the envelope and the version filter are the
 * ones the Kafka consumer uses. The SDK hands a partition's events over one batch at a time, in order.
 */
export function createEventHubsSummaryConsumer<T>(
  options: EventHubsSummaryConsumerOptions<T>,
): EventHubsSummaryConsumer {
  const receiver = createSummaryReceiver({
    contract: options.contract,
    handle: options.handle,
    lastSeen: options.lastSeen,
    onUnreadable: options.onUnreadable,
  });
  let subscription: Subscription | undefined;

  return {
    start() {
      if (subscription) return;
      subscription = options.client.subscribe(
        {
          processEvents: async (events, context) => {
            for (const event of events)
              await receiver.receive(eventHubsMessage(event, options.contract.topic, context.partitionId));
            const last = events.at(-1);
            if (last) await context.updateCheckpoint(last);
          },
          processError: async (error) => {
            options.onError?.(error);
          },
        },
        options.subscribeOptions,
      );
    },
    async stop() {
      const current = subscription;
      subscription = undefined;
      await current?.close();
    },
    stats: () => receiver.stats(),
  };
}

/** The protocol-independent view of an AMQP event: application properties as headers, the body as the value. */
export function eventHubsMessage(
  event: Pick<ReceivedEventData, 'body' | 'properties' | 'sequenceNumber'>,
  topic: string,
  partitionId: string,
): { headers: Record<string, unknown> | undefined; value: unknown; source: ReceivedSummary['source'] } {
  return {
    headers: event.properties,
    value: event.body,
    source: { topic, partition: partitionId, position: String(event.sequenceNumber) },
  };
}
