import type { InvocationContext } from '@azure/functions';
import type { Context } from '@opentelemetry/api';
import { contextFromTraceparent } from '../tracing/spans.ts';
import { parseTraceparent } from '../tracing/trace-context.ts';

/**
 * The context to start an invocation's spans in: the Functions host's own span for the invocation (its
 * `traceContext`), so Application Insights shows them under the host's request or trigger; undefined when the host
 * passes none (tests, older hosts).
 */
export function invocationParent(context: Pick<InvocationContext, 'traceContext'>): Context | undefined {
  const traceparent = context.traceContext?.traceParent;
  if (parseTraceparent(traceparent) === undefined) return undefined;
  return contextFromTraceparent(traceparent, context.traceContext?.traceState);
}
