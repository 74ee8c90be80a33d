import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { parseOptions, type StreamSpan as Span } from '../core/index.ts';
import { spanFromDocument } from '../store/index.ts';
import { callHandlerInSpan } from '../streams/handler-span.ts';
import { claimsToHoldEvents, type StreamHandler, StreamSpan } from '../streams/index.ts';
import { inSpan, SpanAttributes, SpanKind } from '../tracing/spans.ts';
import { SpanNotFinished, StreamNotYetHandled, TooManyStreamsAtGaps, TriggerBatchFailed } from './errors.ts';
import { createHeldSpans } from './held-spans.ts';
import { invocationParent } from './invocation-trace.ts';
import { createStreamPositions, type StreamPositions } from './stream-positions.ts';

const positiveInt = z.number().int().positive();

const triggerOptionsSchema = z.object({
  /** names the handler in logs and errors; use the function's name */
  name: z.string().min(1),
  /** the same handler the self-hosted processor runs (a projection's or reactor's `handle`) */
  handle: z.custom<StreamHandler>((value) => typeof value === 'function', 'must be a function'),
  /** streams of one batch handled at the same time (each stream still in version order); default 8 */
  maxConcurrentStreams: positiveInt.default(8),
  /** streams whose handled position this process remembers to drop redelivered events; default 10,000 */
  rememberedStreams: positiveInt.default(10_000),
  /**
   * The trigger's `startFromBeginning`: a stream this process has not handled starts at version 0, and its events
   * wait (in this process) until its older documents come, even in a later batch. Default false: a stream not
   * handled here starts at the first version the batch holds of it.
   */
  startFromBeginning: z.boolean().default(false),
  /**
   * The trigger's `maxItemsPerInvocation`; default 100. A batch with fewer documents reached the head of the feed:
   * a stream still waiting for its first versions then will not get them, and starts at the first version it has.
   */
  maxItemsPerInvocation: positiveInt.default(100),
});

export type ChangeFeedTriggerOptions = z.input<typeof triggerOptionsSchema>;

/** What a trigger handler has counted in this process. */
export interface ChangeFeedTriggerCounts {
  /** documents passed over because they are not Tributary (or Equinox) event documents (another writer's) */
  readonly foreignDocuments: number;
  /** versions never seen of streams still waiting for their first versions when a batch reached the feed's head */
  readonly skippedAtStart: number;
  /** streams whose later events wait in this process for older ones */
  readonly heldStreams: number;
}

/** A Cosmos DB trigger handler (`app.cosmosDB({ handler })`) plus what it has handled in this process. */
export interface ChangeFeedTriggerHandler {
  (documents: unknown[], context: InvocationContext): Promise<void>;
  readonly positions: StreamPositions;
  counts(): ChangeFeedTriggerCounts;
}

interface Failure {
  readonly stream: string;
  readonly error: unknown;
}

/**
 * Runs a stream handler on the document batches of a Cosmos DB trigger on the events container, like the stream
 * scheduler does on the self-hosted processor's pages: documents (tips and batches) become per-stream spans, merged
 * and de-duplicated by version, handed to the handler in version order, several streams at a time. Documents that
 * are not event documents are passed over and counted; one that claims to be and is broken fails its stream.
 *
 * The host checkpoints when the invocation returns, so any stream failing (a throw, or `notYet`) makes the whole
 * invocation throw `TriggerBatchFailed`, and the function's retry policy redelivers the batch. Streams that succeeded
 * are remembered here and skipped on that redelivery; after a restart or on another instance they are handled again,
 * which projections (versioned views) and idempotent reactors absorb. Events held behind a gap wait in this process
 * only: the host's checkpoint has moved past them, so a restart before the gap fills leaves them to the stream's
 * next tip.
 */
export function createChangeFeedTriggerHandler(options: ChangeFeedTriggerOptions): ChangeFeedTriggerHandler {
  const {
    name,
    handle,
    maxConcurrentStreams: maxConcurrent,
    rememberedStreams: capacity,
    startFromBeginning: fromBeginning,
    maxItemsPerInvocation: maxItems,
  } = parseOptions(triggerOptionsSchema, options, 'createChangeFeedTriggerHandler');
  const positions = createStreamPositions(capacity);
  const held = createHeldSpans(capacity);
  const counts = { foreignDocuments: 0, skippedAtStart: 0 };

  /** Hands the stream's spans from its position on; what follows a gap is held. Returns the events handled. */
  const handleStream = async (stream: string, spans: readonly Span[], atHead: boolean): Promise<number> => {
    let handledEvents = 0;
    const first = spans[0];
    if (first === undefined) return 0;
    const known = positions.get(stream);
    let position = known ?? (fromBeginning ? 0n : first.index);
    let atStart = known === undefined && fromBeginning;
    for (let at = 0; at < spans.length; at++) {
      const span = StreamSpan.dropBeforeIndex(spans[at]!, position);
      if (span === undefined) continue;
      if (span.index > position) {
        if (!(atStart && atHead)) {
          const dropped = held.hold(stream, { spans: spans.slice(at), atStart });
          if (dropped !== undefined) throw new TooManyStreamsAtGaps(capacity, dropped);
          break;
        }
        counts.skippedAtStart += Number(span.index - position);
        position = span.index;
      }
      const outcome = await callHandlerInSpan(spanName, name, handle, span);
      if (outcome?.kind === 'notYet') throw new StreamNotYetHandled(stream, outcome.reason);
      const end = StreamSpan.end(span);
      const next = outcome?.nextIndex ?? end;
      positions.advance(stream, next);
      position = next;
      atStart = false;
      handledEvents += span.events.length;
      if (next < end) throw new SpanNotFinished(stream, next, end);
    }
    return handledEvents;
  };

  const spanName = `process ${name}`;
  // The batch's span continues the Functions host's trace of the invocation; each handler call has its own, linked
  // to the spans that appended its events.
  const trigger = (documents: unknown[], context: InvocationContext): Promise<void> =>
    inSpan(
      `receive ${name}`,
      {
        kind: SpanKind.CONSUMER,
        parent: invocationParent(context),
        attributes: {
          [SpanAttributes.messagingOperationType]: 'receive',
          [SpanAttributes.messagingBatchCount]: documents.length,
          [SpanAttributes.processor]: name,
        },
      },
      () => handleBatch(documents, context),
    );

  const handleBatch = async (documents: unknown[], context: InvocationContext): Promise<void> => {
    const failures: Failure[] = [];
    const byStream = new Map<string, Span[]>();
    const add = (span: Span) => {
      const spans = byStream.get(span.stream) ?? [];
      spans.push(span);
      byStream.set(span.stream, spans);
    };
    let foreign = 0;
    for (const document of documents) {
      if (
        typeof document !== 'object' ||
        document === null ||
        !claimsToHoldEvents(document as Record<string, unknown>)
      ) {
        foreign++;
        continue;
      }
      try {
        const span = spanFromDocument(document as Record<string, unknown>);
        if (span !== undefined) add(span);
      } catch (error) {
        const id = (document as { id?: unknown; p?: unknown }).p ?? (document as { id?: unknown }).id;
        failures.push({ stream: String(id), error });
      }
    }
    counts.foreignDocuments += foreign;
    const atHead = documents.length < maxItems;
    // Held spans are offered again with every batch: it may fill their gap, or reach the head of the feed.
    for (const stream of held.streams()) for (const span of held.take(stream)?.spans ?? []) add(span);

    const work = [...byStream.entries()];
    let handledEvents = 0;
    let next = 0;
    const worker = async () => {
      for (let item = work[next++]; item !== undefined; item = work[next++]) {
        const [stream, spans] = item;
        const merged = StreamSpan.merge(spans);
        try {
          handledEvents += await handleStream(stream, merged, atHead);
        } catch (error) {
          failures.push({ stream, error });
          // The host redelivers this batch, not the held spans of earlier ones: keep those here.
          const position = positions.get(stream);
          const rest = position === undefined ? merged : StreamSpan.dropListBeforeIndex(merged, position);
          if (rest.length > 0) held.hold(stream, { spans: rest, atStart: position === undefined && fromBeginning });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(maxConcurrent, work.length) }, worker));

    context.log(
      `${name}: ${documents.length} documents (${foreign} not event documents), ${byStream.size} streams, ` +
        `${handledEvents} events handled, ${held.size} streams waiting for a gap, ${failures.length} streams failed`,
    );
    if (failures.length > 0) {
      const error = new TriggerBatchFailed(name, failures);
      context.error(error.message);
      throw error;
    }
  };
  return Object.assign(trigger, {
    positions,
    counts: (): ChangeFeedTriggerCounts => ({ ...counts, heldStreams: held.size }),
  });
}
