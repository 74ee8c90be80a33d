import {
  type Context,
  createTraceState,
  isSpanContextValid,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';

/**
 * W3C Trace Context as it travels in event metadata, Kafka headers and HTTP headers: `traceparent` is
 * `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`, `tracestate` the vendor list passed along as is.
 */
export interface TraceContextFields {
  readonly traceparent: string;
  readonly tracestate?: string | undefined;
}

export const traceparentHeader = 'traceparent';
export const tracestateHeader = 'tracestate';

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const zeroTraceId = '0'.repeat(32);
const zeroSpanId = '0'.repeat(16);

/** The `traceparent` (and `tracestate`) naming a span; undefined for an invalid (no-op) span context. */
export function traceContextFields(spanContext: SpanContext): TraceContextFields | undefined {
  if (!isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  const traceparent = `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
  const tracestate = spanContext.traceState?.serialize();
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/** The trace context of the active span, or undefined when there is none (no SDK registered, or no span open). */
export function activeTraceContext(): TraceContextFields | undefined {
  const span = trace.getActiveSpan();
  return span === undefined ? undefined : traceContextFields(span.spanContext());
}

/**
 * The remote span context a `traceparent` names; undefined when it is absent or malformed (wrong version, length or
 * case, an all-zero id) — a malformed header is ignored, as W3C Trace Context asks, never an error.
 */
export function parseTraceparent(traceparent: unknown, tracestate?: unknown): SpanContext | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const match = traceparentPattern.exec(traceparent.trim());
  if (!match) return undefined;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  if (traceId === zeroTraceId || spanId === zeroSpanId) return undefined;
  const spanContext: SpanContext = { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & 0xff, isRemote: true };
  if (typeof tracestate === 'string' && tracestate.trim() !== '') {
    return { ...spanContext, traceState: createTraceState(tracestate) };
  }
  return spanContext;
}

/**
 * A propagator for the W3C `traceparent`/`tracestate` headers built on the functions above, for hosts that register
 * a global one (`startTracing` does) so that the Azure SDK's outgoing requests carry the trace too.
 */
export const w3cTraceContextPropagator: TextMapPropagator = {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpan(context);
    const fields = span === undefined ? undefined : traceContextFields(span.spanContext());
    if (fields === undefined) return;
    setter.set(carrier, traceparentHeader, fields.traceparent);
    if (fields.tracestate !== undefined) setter.set(carrier, tracestateHeader, fields.tracestate);
  },
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
    const spanContext = parseTraceparent(
      first(getter.get(carrier, traceparentHeader)),
      first(getter.get(carrier, tracestateHeader)),
    );
    return spanContext === undefined ? context : trace.setSpanContext(context, spanContext);
  },
  fields: () => [traceparentHeader, tracestateHeader],
};
