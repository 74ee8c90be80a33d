import { StreamName, type StreamSpan } from '../core/index.ts';
import type { ChangeFeedHandler, HandlerOutcome } from '../streams/index.ts';
import type { SummaryContract } from './contract.ts';
import { publishInSpan } from './publish-span.ts';
import type { SummaryPublisher } from './publisher.ts';
import { summaryRecord } from './summary-record.ts';

/** What the summary reactor needs of a store category (a `Category` from `store.category(…)` fits). */
export interface SummarySource<S> {
  readonly name: string;
  load(id: string): Promise<{ readonly state: S; readonly version: bigint }>;
}

export interface SummaryReactorOptions<S, T> {
  readonly contract: SummaryContract<T>;
  /** the category whose streams are summarized; streams of other categories are acknowledged untouched */
  readonly category: SummarySource<S>;
  /**
   * The summary of a stream's current state, or `undefined` to publish nothing for this state (e.g. an account
   * that is not open yet). `version` is the stream version the state reflects.
   */
  readonly render: (state: S, stream: StreamName, version: bigint) => T | undefined;
  readonly publisher: SummaryPublisher;
}

/**
 * A change-feed handler named `<contract name>@<contract version>`, run under the processor name
 * `summary-<contract name>-v<contract version>` (`runHandler(summaries, …)`).
 */
export type SummaryReactor = ChangeFeedHandler;

/**
 * Publishes a coarse summary of each changed stream. It loads the stream's current state through the store (with
 * the category's cache that is one `If-None-Match` read answering 304), renders and validates the summary, and
 * resolves only once the publisher has it acknowledged, so the checkpoint never passes an unpublished summary.
 * The summary reflects the state at the version loaded, which may be ahead of the events given; it then reports
 * that version, and the events in between are not summarized again. Re-sends after a crash publish the same
 * version with the same idempotency key, or a newer version: per stream, versions downstream never go backwards.
 * Two events handled in one span make one summary; for one summary per event use `createEventSummaryReactor`.
 */
export function createSummaryReactor<S, T>(options: SummaryReactorOptions<S, T>): SummaryReactor {
  const { contract, category, render, publisher } = options;
  const name = `${contract.name}@${contract.version}`;

  const handle = async (span: StreamSpan): Promise<HandlerOutcome> => {
    const stream = StreamName.tryParse(span.stream);
    if (!stream || StreamName.category(stream) !== category.name) return undefined;
    const spanEnd = span.index + BigInt(span.events.length);
    const { state, version } = await category.load(StreamName.id(stream));
    if (version < spanEnd) {
      return { kind: 'notYet', reason: `the store returned ${stream} at version ${version}, before ${spanEnd}` };
    }
    const summary = render(state, stream, version);
    if (summary !== undefined) {
      const correlationId = span.events.findLast((event) => event.correlationId !== undefined)?.correlationId;
      const time = span.events.at(-1)?.timestamp;
      await publishInSpan(publisher, summaryRecord(contract, stream, version, summary, correlationId, time));
    }
    return { kind: 'handled', nextIndex: version };
  };

  return { name, processorName: `summary-${contract.name}-v${contract.version}`, handle };
}
