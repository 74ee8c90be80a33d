import type {
  EventHubConsumerClient,
  PartitionContext,
  ReceivedEventData,
  SubscribeOptions,
  Subscription,
} from '@azure/event-hubs';
import {
  type ConsumerScheduler,
  type ConsumerSchedulingOptions,
  type ConsumerStats,
  createConsumerScheduler,
} from './consumer-scheduler.ts';
import type { SummaryContract } from './contract.ts';
import { parseEnvelope } from './headers.ts';
import type { LastSeenVersions, ReceivedSummary, SummaryHandler, UnreadableMessage } from './receiver.ts';

export interface EventHubsSummaryConsumerOptions<T> extends ConsumerSchedulingOptions {
  /**
   * A client for the contract's event hub (`new EventHubConsumerClient(consumerGroup, connectionString, hubName)`
   * or with a credential), with a checkpoint store (`BlobCheckpointStore` of `@azure/eventhubs-checkpointstore-blob`)
   * for checkpoints that outlive the process and load balancing across instances.
   */
  readonly client: EventHubConsumerClient;
  readonly contract: SummaryContract<T>;
  /** called once per newer summary of a stream, in order per stream, several streams at a time */
  readonly handle: SummaryHandler<T>;
  readonly lastSeen?: LastSeenVersions;
  /** passed to `client.subscribe` (start position, batch size, wait time …) */
  readonly subscribeOptions?: SubscribeOptions;
  /**
   * Given each message this consumer can't read (not a summary, another contract, a newer version its schema rejects,
   * not JSON, an invalid shape). With `parking`, the message is then parked with its stream; without, passed over.
   */
  readonly onUnreadable: (message: UnreadableMessage) => void | Promise<void>;
  readonly onError?: (error: Error) => void;
}

export interface EventHubsSummaryConsumer {
  start(): void;
  stop(): Promise<void>;
  stats(): ConsumerStats;
  readonly parked: ConsumerScheduler['parked'];
}

interface PartitionCheckpoints {
  context: PartitionContext;
  /** events read and not yet checkpointed, in sequence order */
  events: ReceivedEventData[];
  checkpointed: number;
  writing: Promise<void>;
}

/**
 * The same downstream consumer over the AMQP SDK, on the same engine as the Kafka one. Event Hubs maps Kafka record
 * headers to AMQP application properties (as bytes) and the record value to the body (bytes), so the envelope and
 * the version filter are the ones the Kafka consumer uses. The checkpoint of a partition is its low-water mark: the
 * last event before the oldest one not yet handled or parked.
 */
export function createEventHubsSummaryConsumer<T>(
  options: EventHubsSummaryConsumerOptions<T>,
): EventHubsSummaryConsumer {
  const hub = options.contract.topic;
  const engine = createConsumerScheduler({ ...options, name: options.name ?? hub });
  const partitions = new Map<string, PartitionCheckpoints>();
  let subscription: Subscription | undefined;

  function checkpoint(partitionId: string): Promise<void> {
    const state = partitions.get(partitionId);
    if (state === undefined) return Promise.resolve();
    state.writing = state.writing.then(async () => {
      const next = engine.committable(hub, partitionId);
      if (next === undefined) return;
      let upTo = -1;
      while (upTo + 1 < state.events.length && BigInt(state.events[upTo + 1]!.sequenceNumber) < next) upTo++;
      if (upTo < 0) return;
      const event = state.events[upTo]!;
      state.events = state.events.slice(upTo + 1);
      if (event.sequenceNumber <= state.checkpointed) return;
      await state.context.updateCheckpoint(event);
      state.checkpointed = event.sequenceNumber;
      engine.noteCommitted(hub, partitionId, BigInt(event.sequenceNumber) + 1n);
    });
    state.writing = state.writing.catch((error: unknown) => {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    });
    return state.writing;
  }

  return {
    start() {
      if (subscription) return;
      subscription = options.client.subscribe(
        {
          processEvents: async (events, context) => {
            const { partitionId } = context;
            let state = partitions.get(partitionId);
            if (state === undefined) {
              state = { context, events: [], checkpointed: -1, writing: Promise.resolve() };
              partitions.set(partitionId, state);
            }
            state.context = context;
            const newest = context.lastEnqueuedEventProperties?.sequenceNumber;
            if (newest !== undefined) engine.noteNewest(hub, partitionId, BigInt(newest) + 1n);
            if (events.length === 0) return;
            state.events.push(...events);
            const { handled } = await engine.ingest(hub, partitionId, events.map(eventHubsConsumerMessage));
            void handled.then(() => checkpoint(partitionId));
          },
          processClose: async (_reason, context) => {
            await checkpoint(context.partitionId);
            partitions.delete(context.partitionId);
            engine.revoke(hub, context.partitionId);
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
      await Promise.all([...partitions.keys()].map(checkpoint));
      await current?.close();
      await engine.quiesce();
      engine.close();
    },
    stats: () => engine.stats(),
    parked: engine.parked,
  };
}

// Event Hubs gives a Kafka record's key as the partition key; the envelope's stream stands in for a missing one.
function eventHubsConsumerMessage(event: ReceivedEventData) {
  const key = typeof event.partitionKey === 'string' ? event.partitionKey : parseEnvelope(event.properties)?.stream;
  return {
    key,
    headers: event.properties,
    value: event.body,
    offset: BigInt(event.sequenceNumber),
    timestamp: event.enqueuedTimeUtc,
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
