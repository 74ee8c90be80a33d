/**
 * An event as stored in a stream, before domain decoding: what the store reads, the change feed delivers and
 * handlers receive. `data`/`meta` are plain JSON (already decompressed); `index` is the event's version.
 */
export interface TimelineEvent {
  readonly index: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly meta: unknown;
  /** when the event was written; events written together may share one `Date` instance: never mutate it */
  readonly timestamp: Date;
  readonly correlationId?: string | undefined;
  readonly causationId?: string | undefined;
  /** the W3C `traceparent` of the span that appended the event, when tracing was on (and its `tracestate`) */
  readonly traceparent?: string | undefined;
  readonly tracestate?: string | undefined;
}

/** A run of consecutive events of one stream starting at `index` (the version of the first event). */
export interface StreamSpan {
  readonly stream: string;
  readonly index: bigint;
  readonly events: readonly TimelineEvent[];
}
