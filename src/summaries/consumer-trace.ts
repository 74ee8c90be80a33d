import { recordingTracer } from '../tracing/spans.ts';
import type { TraceContextFields } from '../tracing/trace-context.ts';

const utf8 = new TextDecoder();

function text(value: unknown): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  if (typeof single === 'string') return single;
  if (single instanceof Uint8Array) return utf8.decode(single);
  return undefined;
}

/**
 * The producer's trace context from a consumed message's headers (`traceparent`, `tracestate`: Kafka record headers
 * or Event Hubs application properties), carried on the message's event so that the consumer's handler span links to
 * the publish. Nothing is read when no OpenTelemetry SDK is registered.
 */
export function producerTrace(headers: Readonly<Record<string, unknown>> | undefined): TraceContextFields | undefined {
  if (headers === undefined || recordingTracer() === undefined) return undefined;
  const traceparent = text(headers.traceparent);
  if (traceparent === undefined) return undefined;
  const tracestate = text(headers.tracestate);
  return tracestate === undefined ? { traceparent } : { traceparent, tracestate };
}
