import type { TimelineEvent } from '../core/index.ts';

/** An event as a dead letter holds it: plain JSON, the version as a number, the timestamp as ISO 8601. */
export interface DeadLetterEvent {
  readonly index: number;
  readonly type: string;
  readonly data: unknown;
  readonly meta: unknown;
  readonly timestamp: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** the appending span's W3C trace context, kept so that a replayed handler call still links to it */
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/** A change-feed document that could not be read as events; kept as it was so that a replay can try again. */
export interface MalformedDocumentRecord {
  readonly document: unknown;
  readonly error: { readonly name: string; readonly message: string };
}

/**
 * A parked stream: what failed, and every event of the stream the scheduler received from the failure on, in
 * version order (events that arrive while the stream is parked are appended, so that a replay keeps the order).
 */
export interface DeadLetter {
  /** `<scheduler name>:<stream>`, unique per scheduler and stream */
  readonly id: string;
  readonly stream: string;
  /** the scheduler (processor) name */
  readonly processor: string;
  readonly error: { readonly name: string; readonly message: string };
  /** why the stream was parked: the handler kept throwing, kept answering `notYet`, or a document was malformed */
  readonly reason: 'failed' | 'notYet' | 'malformed';
  readonly events: readonly DeadLetterEvent[];
  readonly malformed: readonly MalformedDocumentRecord[];
  readonly attempts: number;
  /** ISO 8601 */
  readonly parkedAt: string;
}

/** Where parked streams are kept. The Cosmos implementation writes to the `dead-letters` container. */
export interface DeadLetterStore {
  /** creates or replaces the dead letter of `letter.processor` + `letter.stream` */
  put(letter: DeadLetter): Promise<void>;
  list(processor: string): Promise<DeadLetter[]>;
  /** removes it; removing one that is not there is not an error */
  remove(processor: string, stream: string): Promise<void>;
}

export const DeadLetter = {
  id(processor: string, stream: string): string {
    // Cosmos ids must not hold '/', '\\', '?' or '#'; stream names never do, a processor name might.
    return `${encodeURIComponent(processor)}:${stream}`;
  },

  eventToJson(event: TimelineEvent): DeadLetterEvent {
    return {
      index: Number(event.index),
      type: event.type,
      data: event.data,
      meta: event.meta ?? null,
      timestamp: event.timestamp.toISOString(),
      ...(event.correlationId === undefined ? {} : { correlationId: event.correlationId }),
      ...(event.causationId === undefined ? {} : { causationId: event.causationId }),
      ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
      ...(event.tracestate === undefined ? {} : { tracestate: event.tracestate }),
    };
  },

  eventFromJson(event: DeadLetterEvent): TimelineEvent {
    return {
      index: BigInt(event.index),
      type: event.type,
      data: event.data,
      meta: event.meta,
      timestamp: new Date(event.timestamp),
      correlationId: event.correlationId,
      causationId: event.causationId,
      traceparent: event.traceparent,
      tracestate: event.tracestate,
    };
  },

  errorToJson(error: unknown): { name: string; message: string } {
    if (error instanceof Error) return { name: error.name, message: error.message };
    if (typeof error === 'object' && error !== null && 'message' in error) {
      const { name, message } = error as { name?: unknown; message: unknown };
      return { name: typeof name === 'string' ? name : 'Error', message: String(message) };
    }
    return { name: 'Error', message: String(error) };
  },
};

/** Keeps dead letters in memory: for tests, and for hosts that only want parking to unblock the checkpoint. */
export function createInMemoryDeadLetters(): DeadLetterStore & { readonly letters: Map<string, DeadLetter> } {
  const letters = new Map<string, DeadLetter>();
  return {
    letters,
    async put(letter) {
      letters.set(letter.id, structuredClone(letter));
    },
    async list(processor) {
      return [...letters.values()]
        .filter((letter) => letter.processor === processor)
        .map((letter) => structuredClone(letter));
    },
    async remove(processor, stream) {
      letters.delete(DeadLetter.id(processor, stream));
    },
  };
}
