import { context, type Span } from '@opentelemetry/api';
import type { StreamSpan } from '../core/index.ts';
import { SpanKind, startLinkedSpan } from '../tracing/linked-work.ts';
import { recordFailure, SpanAttributes } from '../tracing/spans.ts';
import type { HandlerOutcome, StreamHandler } from './handler.ts';

/**
 * Calls `handle` on `span` inside a `process <scheduler>` span (OpenTelemetry's messaging conventions: kind
 * consumer, operation `process`) linked to the spans that appended its events, and a child of that span when one
 * append wrote them all. The span ends with the outcome (`handled`, `notYet`, ...) or the failure. With no SDK the
 * handler is called as it is, with nothing else allocated but a no-op span.
 */
export function callHandlerInSpan(
  spanName: string,
  scheduler: string,
  handle: StreamHandler,
  span: StreamSpan,
): Promise<HandlerOutcome | undefined> {
  const traced = startLinkedSpan(spanName, SpanKind.CONSUMER, span.events, () => ({
    [SpanAttributes.messagingOperationType]: 'process',
    [SpanAttributes.messagingOperationName]: 'process',
    [SpanAttributes.messagingBatchCount]: span.events.length,
    [SpanAttributes.processor]: scheduler,
    [SpanAttributes.stream]: span.stream,
    [SpanAttributes.streamVersion]: Number(span.index),
    [SpanAttributes.eventCount]: span.events.length,
  }));
  // a native promise passes through Promise.resolve as it is; a plain JS handler's value gets wrapped
  if (traced.context === undefined) return Promise.resolve(handle(span));
  let result: Promise<HandlerOutcome | undefined>;
  try {
    result = Promise.resolve(context.with(traced.context, () => handle(span)));
  } catch (error) {
    result = Promise.reject(error);
  }
  result.then(
    (outcome) => ended(traced.span, outcome),
    (error: unknown) => {
      recordFailure(traced.span, error);
      traced.span.end();
    },
  );
  return result;
}

function ended(span: Span, outcome: HandlerOutcome | undefined): void {
  span.setAttribute(SpanAttributes.outcome, outcome?.kind ?? 'handled');
  span.end();
}
