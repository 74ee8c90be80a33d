import { type Attributes, type Context, ROOT_CONTEXT, type Span, SpanKind, trace } from '@opentelemetry/api';
import { linksToWriters, noopSpan, recordingTracer } from './spans.ts';
import { parseTraceparent } from './trace-context.ts';

/** Anything that may carry the W3C trace context of the span that wrote it: an event, a message. */
export interface Traced {
  readonly traceparent?: string | undefined;
  readonly tracestate?: string | undefined;
}

/**
 * The parent for work on `items` written elsewhere (a handler call on a stream's events, a consumer's call on a
 * key's messages): the writer's span when they all come from one (so the command's trace continues through the
 * processors, as Application Insights' transaction view shows it), else a new trace. Either way the work's span
 * links to every writer (OpenTelemetry's messaging conventions for batch processing).
 */
export function parentOfWork(items: readonly Traced[]): Context {
  let only: string | undefined;
  let state: string | undefined;
  for (const item of items) {
    if (item.traceparent === undefined) continue;
    if (only !== undefined && item.traceparent !== only) return ROOT_CONTEXT;
    only = item.traceparent;
    state = item.tracestate;
  }
  const writer = parseTraceparent(only, state);
  return writer === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, writer);
}

/**
 * Starts the span of work on `items` (see `parentOfWork`) and links it to their writers; links are built only when
 * the span records (and `attributes` called), so with no SDK this is one no-op span and a scan of the items'
 * `traceparent`. The caller ends it;
 * `context` (undefined when not recording) is the one to run the work in.
 */
export function startLinkedSpan(
  name: string,
  kind: SpanKind,
  items: readonly Traced[],
  attributes: () => Attributes,
): { readonly span: Span; readonly context: Context | undefined } {
  const tracer = recordingTracer();
  if (tracer === undefined) return { span: noopSpan, context: undefined };
  const span = tracer.startSpan(name, { kind }, parentOfWork(items));
  if (!span.isRecording()) return { span, context: undefined };
  span.setAttributes(attributes());
  const links = linksToWriters(items);
  if (links.length > 0) span.addLinks(links);
  return { span, context: trace.setSpan(ROOT_CONTEXT, span) };
}

export { SpanKind };
