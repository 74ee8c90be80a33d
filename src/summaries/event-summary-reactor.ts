import { StreamName, type StreamSpan, type TimelineEvent } from '../core/index.ts';
import type { HandlerOutcome } from '../streams/index.ts';
import type { SummaryContract } from './contract.ts';
import { publishInSpan } from './publish-span.ts';
import type { SummaryPublisher } from './publisher.ts';
import type { SummaryReactor } from './summary-reactor.ts';
import type { SummaryRecord } from './summary-record.ts';
import { summaryRecord } from './summary-record.ts';

/** Turns a stored event into a domain event (a `Codec` from `defineCodec(…)` fits); `undefined` skips the event. */
export interface EventDecoder<E> {
  decode(event: TimelineEvent, stream: string): E | undefined;
}

/** Where the event being summarized sits. */
export interface EventSummaryContext {
  readonly stream: StreamName;
  /** the stream version right after this event (its index + 1): the summary's version */
  readonly version: bigint;
  /** the event as stored: timestamp, correlation and causation ids */
  readonly recorded: TimelineEvent;
}

interface EventSummaryReactorBase<T> {
  readonly contract: SummaryContract<T>;
  /** the category whose streams are summarized; streams of other categories are acknowledged untouched */
  readonly category: string;
  readonly publisher: SummaryPublisher;
  /**
   * Names the processor (its checkpoints and dead letters). Default `summary-<contract>-v<version>`. Set it to keep
   * the checkpoints of an existing processor, e.g. when a hand-written reactor moves onto this one.
   */
  readonly processorName?: string;
}

/** Options with a codec: `summarize` receives decoded domain events. */
export interface EventSummaryReactorOptions<E, T> extends EventSummaryReactorBase<T> {
  readonly codec: EventDecoder<E>;
  /** The summary of one event (e.g. one completed transaction), or `undefined` to publish nothing for it. */
  readonly summarize: (event: E, context: EventSummaryContext) => NoInfer<T> | undefined;
}

/** Options without a codec: `summarize` receives the stored events. */
export interface TimelineEventSummaryReactorOptions<T> extends EventSummaryReactorBase<T> {
  readonly codec?: undefined;
  /** The summary of one event (e.g. one completed transaction), or `undefined` to publish nothing for it. */
  readonly summarize: (event: TimelineEvent, context: EventSummaryContext) => NoInfer<T> | undefined;
}

/**
 * Publishes one summary per event that `summarize` picks (a per-transaction contract: "one statement line per
 * completed deposit"), where `createSummaryReactor` publishes one summary of the current state per handled span.
 * Each summary carries the version of the event it comes from (index + 1), so its idempotency key is the same on every
 * re-send. A span is validated whole before anything is published; its summaries are then published one after the
 * other, each only once the previous one is acknowledged, and the handler resolves after the last acknowledgement.
 * Publishing one at a time costs a broker round trip per summary of a stream's span (spans of different streams still
 * share requests), and it is what keeps versions in order downstream: were a later summary acknowledged after an
 * earlier one failed, the retry would re-send the earlier one at a lower version, and consumers, which drop versions
 * not newer than the last they handled, would lose it.
 */
export function createEventSummaryReactor<E, T>(options: EventSummaryReactorOptions<E, T>): SummaryReactor;
export function createEventSummaryReactor<T>(options: TimelineEventSummaryReactorOptions<T>): SummaryReactor;
export function createEventSummaryReactor<E, T>(
  options: EventSummaryReactorOptions<E, T> | TimelineEventSummaryReactorOptions<T>,
): SummaryReactor {
  const { contract, category, publisher } = options;
  const summarizeOne = summarizer(options);

  const handle = async (span: StreamSpan): Promise<HandlerOutcome> => {
    const stream = StreamName.tryParse(span.stream);
    if (!stream || StreamName.category(stream) !== category) return undefined;
    const records: SummaryRecord[] = [];
    for (const recorded of span.events) {
      const version = recorded.index + 1n;
      const summary = summarizeOne(recorded, { stream, version, recorded });
      if (summary !== undefined) {
        records.push(summaryRecord(contract, stream, version, summary, recorded.correlationId, recorded.timestamp));
      }
    }
    for (const record of records) await publishInSpan(publisher, record);
    return { kind: 'handled', nextIndex: span.index + BigInt(span.events.length) };
  };

  return {
    name: `${contract.name}@${contract.version}`,
    processorName: options.processorName ?? `summary-${contract.name}-v${contract.version}`,
    handle,
  };
}

function summarizer<E, T>(
  options: EventSummaryReactorOptions<E, T> | TimelineEventSummaryReactorOptions<T>,
): (recorded: TimelineEvent, context: EventSummaryContext) => T | undefined {
  if (options.codec === undefined) return options.summarize;
  const { codec, summarize } = options;
  return (recorded, context) => {
    const event = codec.decode(recorded, context.stream);
    return event === undefined ? undefined : summarize(event, context);
  };
}
