import type { InvocationContext } from '@azure/functions';
import type { StreamSpan as Span } from '../core/index.ts';
import { spanFromDocument } from '../store/index.ts';
import { type StreamHandler, StreamSpan } from '../streams/index.ts';
import { TriggerBatchFailed } from './errors.ts';
import { createStreamPositions, type StreamPositions } from './stream-positions.ts';

export interface ChangeFeedTriggerOptions {
  /** names the handler in logs and errors; use the function's name */
  readonly name: string;
  /** the same handler the self-hosted processor runs (a projection's or reactor's `handle`) */
  readonly handle: StreamHandler;
  /** streams of one batch handled at the same time (each stream still in version order); default 8 */
  readonly maxConcurrentStreams?: number;
  /** streams whose handled position this process remembers to drop redelivered events; default 10,000 */
  readonly rememberedStreams?: number;
}

/** A Cosmos DB trigger handler (`app.cosmosDB({ handler })`) plus what it has handled in this process. */
export interface ChangeFeedTriggerHandler {
  (documents: unknown[], context: InvocationContext): Promise<void>;
  readonly positions: StreamPositions;
}

interface Failure {
  readonly stream: string;
  readonly error: unknown;
}

/**
 * Runs a stream handler on the document batches of a Cosmos DB trigger on the events container, like the stream
 * scheduler does on the self-hosted processor's pages: documents (tips and batches) become per-stream spans, merged
 * and de-duplicated by version, handed to the handler in version order, several streams at a time.
 *
 * The host checkpoints when the invocation returns, so any stream failing (a throw, or `notYet`) makes the whole
 * invocation throw `TriggerBatchFailed`, and the function's retry policy redelivers the batch. Streams that succeeded
 * are remembered here and skipped on that redelivery; after a restart or on another instance they are handled again,
 * which projections (versioned views) and idempotent reactors absorb.
 */
export function createChangeFeedTriggerHandler(options: ChangeFeedTriggerOptions): ChangeFeedTriggerHandler {
  const { name, handle } = options;
  const maxConcurrent = options.maxConcurrentStreams ?? 8;
  const positions = createStreamPositions(options.rememberedStreams ?? 10_000);

  const handleStream = async (spans: readonly Span[]): Promise<number> => {
    let handledEvents = 0;
    for (const pending of spans) {
      const known = positions.get(pending.stream);
      const span = known === undefined ? pending : StreamSpan.dropBeforeIndex(pending, known);
      if (span === undefined) continue;
      const outcome = await handle(span);
      if (outcome?.kind === 'notYet') throw new Error(`not yet: ${outcome.reason}`);
      const end = StreamSpan.end(span);
      const next = outcome?.nextIndex ?? end;
      positions.advance(span.stream, next);
      handledEvents += span.events.length;
      if (next < end) throw new Error(`the handler stopped at version ${next}, before the span's end ${end}`);
    }
    return handledEvents;
  };

  const trigger = async (documents: unknown[], context: InvocationContext): Promise<void> => {
    const failures: Failure[] = [];
    const byStream = new Map<string, Span[]>();
    for (const document of documents) {
      if (typeof document !== 'object' || document === null) continue;
      try {
        const span = spanFromDocument(document as Record<string, unknown>);
        if (span === undefined) continue;
        const spans = byStream.get(span.stream) ?? [];
        spans.push(span);
        byStream.set(span.stream, spans);
      } catch (error) {
        const id = (document as { id?: unknown; p?: unknown }).p ?? (document as { id?: unknown }).id;
        failures.push({ stream: String(id), error });
      }
    }

    const work = [...byStream.entries()];
    let handledEvents = 0;
    let next = 0;
    const worker = async () => {
      for (let item = work[next++]; item !== undefined; item = work[next++]) {
        const [stream, spans] = item;
        try {
          handledEvents += await handleStream(StreamSpan.merge(spans));
        } catch (error) {
          failures.push({ stream, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(maxConcurrent, work.length) }, worker));

    context.log(
      `${name}: ${documents.length} documents, ${byStream.size} streams, ${handledEvents} events handled, ` +
        `${failures.length} streams failed`,
    );
    if (failures.length > 0) {
      const error = new TriggerBatchFailed(name, failures);
      context.error(error.message);
      throw error;
    }
  };
  return Object.assign(trigger, { positions });
}
