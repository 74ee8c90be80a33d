import type { AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { SpanProcessorShape } from './span-processor.ts';

/** An ended span as the dev host keeps it: times in ms since the epoch, links as trace and span ids. */
export interface RecentSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string | undefined;
  readonly name: string;
  /** OpenTelemetry's `SpanKind`: 0 internal, 1 server, 2 client, 3 producer, 4 consumer */
  readonly kind: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly attributes: Readonly<Record<string, AttributeValue | undefined>>;
  readonly links: readonly { readonly traceId: string; readonly spanId: string }[];
  /** true when the span ended with an error status */
  readonly failed: boolean;
}

/** A ring of the most recent ended spans, for a local view of traces without a collector. */
export interface RecentSpans {
  /** the kept spans, oldest first */
  spans(): readonly RecentSpan[];
  /** the span processor to register with the tracer provider */
  readonly processor: SpanProcessorShape;
  clear(): void;
}

const toMs = ([seconds, nanos]: readonly [number, number]) => seconds * 1_000 + nanos / 1_000_000;

/** Keeps the last `capacity` ended spans (default 5,000), dropping the oldest. */
export function createRecentSpans(capacity = 5_000): RecentSpans {
  let ring: RecentSpan[] = [];
  let next = 0;
  const keep = (span: ReadableSpan) => {
    const context = span.spanContext();
    const kept: RecentSpan = {
      traceId: context.traceId,
      spanId: context.spanId,
      parentSpanId: span.parentSpanContext?.spanId,
      name: span.name,
      kind: span.kind,
      startMs: toMs(span.startTime),
      endMs: toMs(span.endTime),
      attributes: { ...span.attributes },
      links: span.links.map((link) => ({ traceId: link.context.traceId, spanId: link.context.spanId })),
      failed: span.status.code === 2,
    };
    if (ring.length < capacity) ring.push(kept);
    else ring[next] = kept;
    next = (next + 1) % capacity;
  };
  return {
    spans: () => (ring.length < capacity ? [...ring] : [...ring.slice(next), ...ring.slice(0, next)]),
    clear: () => {
      ring = [];
      next = 0;
    },
    processor: {
      onStart: () => {},
      onEnd: keep,
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    } satisfies SpanProcessor,
  };
}
