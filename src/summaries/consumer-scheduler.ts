import type { Container } from '@azure/cosmos';
import type { MeterProvider } from '@opentelemetry/api';
import type { StreamSpan, TimelineEvent } from '../core/index.ts';
import type {
  DeadLetterStore,
  HandlerOutcome,
  SchedulerStats,
  StreamScheduler,
  StreamSchedulerOptions,
} from '../streams/index.ts';
import { cosmosDeadLetters, createStreamScheduler } from '../streams/index.ts';
import { SummaryMessageUnreadable } from './consumer-errors.ts';
import { type ConsumerMessage, eventToReceived, messageToEvent, withMessageRecords } from './consumer-message.ts';
import { createConsumerLagMetrics, type PartitionLag } from './consumer-metrics.ts';
import type { SummaryContract } from './contract.ts';
import { OffsetTracker } from './offset-tracker.ts';
import {
  createSummaryReceiver,
  type LastSeenVersions,
  type ReceiveOutcome,
  type SummaryHandler,
  type UnreadableMessage,
} from './receiver.ts';

/** How a consumer helper schedules its summaries; every field but the contract's and handlers' has a default. */
export interface ConsumerSchedulingOptions {
  /** names the consumer in stats, metrics and dead letters; defaults to the group (Kafka) or `<hub>/<group>` */
  readonly name?: string;
  /** streams handled at the same time across the consumer's partitions (each stream stays sequential). Default 16 */
  readonly maxConcurrentStreams?: number;
  /** backoff of a failing stream: see the stream scheduler's `retry` */
  readonly retry?: StreamSchedulerOptions['retry'];
  /** delay and bounds of a stream whose handler answered `notYet`: see the stream scheduler's `notYet` */
  readonly notYet?: StreamSchedulerOptions['notYet'];
  /**
   * Parks a stream that keeps failing, or whose message can't be read, with the error and its messages, so that the
   * rest of its partition flows and the offset moves past it; list and replay with `parked`. Without it a failing
   * stream holds its partition's offset (retried with backoff) and an unreadable message is only given to
   * `onUnreadable`.
   */
  readonly parking?: { readonly deadLetters: Container | DeadLetterStore; readonly afterAttempts?: number };
  readonly meterProvider?: MeterProvider;
}

export interface ConsumerSchedulerOptions<T> extends ConsumerSchedulingOptions {
  readonly name: string;
  readonly contract: SummaryContract<T>;
  readonly handle: SummaryHandler<T>;
  readonly lastSeen?: LastSeenVersions;
  readonly onUnreadable: (message: UnreadableMessage) => void | Promise<void>;
}

export interface ConsumerStats {
  /** what became of each summary message */
  readonly summaries: Readonly<Record<ReceiveOutcome, number>>;
  readonly scheduler: SchedulerStats;
  readonly partitions: readonly PartitionLag[];
}

/** The protocol-independent engine of the consumer helpers: messages of partitions in, committable offsets out. */
export interface ConsumerScheduler {
  /**
   * Feeds messages of one partition, read in offset order. Resolves once accepted (back-pressure) with `handled`,
   * which resolves once every message of the call was handled, passed over or parked.
   */
  ingest(
    topic: string,
    partition: string,
    messages: readonly ConsumerMessage[],
  ): Promise<{ readonly handled: Promise<void> }>;
  /** the offset the partition may commit: never past a message whose work is unfinished */
  committable(topic: string, partition: string): bigint | undefined;
  /** the broker's newest offset of the partition (for lag) */
  noteNewest(topic: string, partition: string, newest: bigint): void;
  /** an offset was committed (for lag) */
  noteCommitted(topic: string, partition: string, committed: bigint): void;
  /** the partition went to another consumer: its work not started is dropped and its offsets no longer tracked */
  revoke(topic: string, partition: string): void;
  /** the partitions currently read */
  partitions(): { topic: string; partition: string }[];
  stats(): ConsumerStats;
  readonly parked: StreamScheduler['parked'];
  awaitCompletion(): Promise<void>;
  /** stops retries; resolves once no handler runs */
  quiesce(): Promise<void>;
  close(): void;
}

interface PartitionState {
  readonly topic: string;
  readonly partition: string;
  readonly offsets: OffsetTracker;
  newest: bigint | undefined;
  committed: bigint | undefined;
}

/**
 * Runs a consumer's messages through the stream scheduler keyed by the message key (the stream): ordered per stream,
 * parallel across streams, with the scheduler's retries, `notYet`, parking and stats. A stream's messages get
 * consecutive positions as they are read (summary versions have holes, which the scheduler would wait on); the
 * summary version still filters re-deliveries through `lastSeen`.
 */
export function createConsumerScheduler<T>(options: ConsumerSchedulerOptions<T>): ConsumerScheduler {
  const parking = options.parking !== undefined;
  const notYetReasons = new Map<string, string>();
  // The receiver counts an unreadable message only once `onUnreadable` returns; a parked one is counted here.
  let unreadableParked = 0;
  const receiver = createSummaryReceiver<T>({
    contract: options.contract,
    lastSeen: options.lastSeen,
    handle: async (summary) => {
      const outcome = await options.handle(summary);
      if (outcome?.kind === 'notYet') {
        const { topic, partition, position } = summary.source;
        notYetReasons.set(sourceKey(topic, partition, Number(position)), outcome.reason);
      }
      return outcome;
    },
    onUnreadable: async (message) => {
      await options.onUnreadable(message);
      if (!parking) return;
      unreadableParked++;
      throw new SummaryMessageUnreadable(message.reason, message.problem);
    },
  });
  const partitions = new Map<string, PartitionState>();
  // Never reset: a stream the scheduler still remembers must see its positions continue, whichever partition
  // generation feeds it next (one entry per key seen). A stream's first position is this run's start time in
  // microseconds, so that positions of a stream parked by an earlier run (and read back from the dead-letter store)
  // come before this run's, and a new message joins its dead letter after them instead of being taken for one of them.
  const nextIndex = new Map<string, bigint>();
  const firstIndex = BigInt(Date.now()) * 1000n;

  const scheduler = createStreamScheduler({
    name: options.name,
    handle: handleSpan,
    maxConcurrentStreams: options.maxConcurrentStreams ?? 16,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.notYet === undefined ? {} : { notYet: options.notYet }),
    ...(options.parking === undefined ? {} : { parking: parkingWithRecords(options.parking) }),
    ...(options.meterProvider === undefined ? {} : { meterProvider: options.meterProvider }),
    carriedPositions: 0,
  });
  const metrics = createConsumerLagMetrics(options.meterProvider, options.name, () => lags());

  async function handleSpan(span: StreamSpan): Promise<HandlerOutcome> {
    let index = span.index;
    // A stream's messages come from one partition (its key's): look its offsets up once per span.
    let offsets: OffsetTracker | undefined;
    let offsetsOf: { topic: string; partition: string } | undefined;
    for (const event of span.events) {
      const message = eventToReceived(event);
      let outcome: ReceiveOutcome;
      try {
        outcome = await receiver.receive(message);
      } catch (error) {
        if (index > span.index) return { kind: 'handled', nextIndex: index };
        throw error;
      }
      if (outcome === 'notYet') {
        const key = sourceKey(message.topic, message.partition, message.offset);
        const reason = notYetReasons.get(key) ?? 'not yet';
        notYetReasons.delete(key);
        return index > span.index ? { kind: 'handled', nextIndex: index } : { kind: 'notYet', reason };
      }
      if (offsetsOf?.topic !== message.topic || offsetsOf.partition !== message.partition) {
        offsetsOf = message;
        offsets = partitions.get(leaseOf(message.topic, message.partition))?.offsets;
      }
      offsets?.settle(message.offset);
      index++;
    }
    return undefined;
  }

  function partitionOf(topic: string, partition: string): PartitionState {
    const lease = leaseOf(topic, partition);
    let state = partitions.get(lease);
    if (state === undefined) {
      state = { topic, partition, offsets: new OffsetTracker(), newest: undefined, committed: undefined };
      partitions.set(lease, state);
      scheduler.open(lease, { fromBeginning: false, handled: {} });
    }
    return state;
  }

  /**
   * Another instance (or an earlier run) may have parked streams this partition carries: their next positions must
   * follow the parked ones, so that new messages join the dead letters after them.
   */
  async function continueAfterParked() {
    for (const letter of await scheduler.parked.list()) {
      const last = letter.events.at(-1);
      if (last === undefined) continue;
      const after = BigInt(last.index) + 1n;
      if ((nextIndex.get(letter.stream) ?? firstIndex) < after) nextIndex.set(letter.stream, after);
    }
  }

  function lags(): PartitionLag[] {
    return [...partitions.values()].map(({ topic, partition, offsets, newest, committed }) => {
      const base = committed ?? offsets.committable();
      const lag = newest === undefined || base === undefined ? 0 : Math.max(0, Number(newest - base));
      return { topic, partition, newest, committed, inFlight: offsets.pending, lag };
    });
  }

  return {
    async ingest(topic, partition, messages) {
      const opening = !partitions.has(leaseOf(topic, partition));
      const state = partitionOf(topic, partition);
      if (opening && parking) await continueAfterParked();
      const byStream = new Map<string, { span: StreamSpan & { events: TimelineEvent[] }; next: bigint }>();
      const { offsets } = state;
      for (const message of messages) {
        const stream = message.key ?? `(no key) ${topic}/${partition}`;
        let building = byStream.get(stream);
        if (building === undefined) {
          const index = nextIndex.get(stream) ?? firstIndex;
          building = { span: { stream, index, events: [] }, next: index };
          byStream.set(stream, building);
        }
        building.span.events.push(messageToEvent(topic, partition, message, building.next));
        building.next += 1n;
        offsets.track(message.offset);
      }
      const spans: StreamSpan[] = [];
      for (const { span, next } of byStream.values()) {
        nextIndex.set(span.stream, next);
        spans.push(span);
      }
      const { handled } = await scheduler.ingestSpans(leaseOf(topic, partition), spans);
      // Parked messages (and ones passed over) are settled here: the scheduler reports them only per call.
      return {
        handled: handled.then(() => {
          for (const message of messages) offsets.settle(message.offset);
        }),
      };
    },
    committable: (topic, partition) => partitions.get(leaseOf(topic, partition))?.offsets.committable(),
    noteNewest(topic, partition, newest) {
      partitionOf(topic, partition).newest = newest;
    },
    noteCommitted(topic, partition, committed) {
      const state = partitions.get(leaseOf(topic, partition));
      if (state) state.committed = committed;
    },
    revoke(topic, partition) {
      const lease = leaseOf(topic, partition);
      if (!partitions.delete(lease)) return;
      scheduler.revoke(lease);
    },
    partitions: () => [...partitions.values()].map(({ topic, partition }) => ({ topic, partition })),
    stats() {
      const summaries = receiver.stats();
      return {
        summaries: { ...summaries, unreadable: summaries.unreadable + unreadableParked },
        scheduler: scheduler.stats(),
        partitions: lags(),
      };
    },
    parked: scheduler.parked,
    awaitCompletion: () => scheduler.awaitCompletion(),
    quiesce: () => scheduler.quiesce(),
    close() {
      metrics.close();
      scheduler.close();
    },
  };
}

function leaseOf(topic: string, partition: string): string {
  return `${topic}/${partition}`;
}

function sourceKey(topic: string, partition: string, offset: number): string {
  return `${topic}/${partition}@${offset}`;
}

/** Parked messages are kept as `MessageRecord`s, built when parked (see `ConsumedMessage`). */
function parkingWithRecords(
  parking: NonNullable<ConsumerSchedulingOptions['parking']>,
): NonNullable<StreamSchedulerOptions['parking']> {
  const { deadLetters } = parking;
  const store = 'items' in deadLetters ? cosmosDeadLetters(deadLetters) : deadLetters;
  return { ...parking, deadLetters: withMessageRecords(store) };
}
