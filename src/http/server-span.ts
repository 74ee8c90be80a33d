import { type Context, context, createContextKey, type Span, SpanStatusCode } from '@opentelemetry/api';
import { contextFromTraceparent, inSpan, SpanAttributes, SpanKind } from '../tracing/spans.ts';
import { traceparentHeader, tracestateHeader } from '../tracing/trace-context.ts';

const serverSpanKey = createContextKey('tributary.http.server-span');

/** What a host knows of a request before routing. */
export interface TracedRequest {
  readonly method: string;
  readonly path: string;
  header(name: string): string | undefined;
}

/**
 * Handles a request inside an HTTP server span (`{method} {route}` once a router names the route, OpenTelemetry's
 * HTTP conventions for the attributes), continuing the caller's trace from its `traceparent` header unless the host
 * gives a `parent` (the Functions host's invocation). An answer of 500 or more marks the span failed.
 */
export function inServerSpan<A extends { readonly status: number }>(
  request: TracedRequest,
  work: () => Promise<A>,
  options: { readonly route?: string | undefined; readonly parent?: Context | undefined } = {},
): Promise<A> {
  const method = request.method.toUpperCase();
  const parent =
    options.parent ?? contextFromTraceparent(request.header(traceparentHeader), request.header(tracestateHeader));
  return inSpan(
    options.route === undefined ? method : `${method} ${options.route}`,
    {
      kind: SpanKind.SERVER,
      parent,
      attributes: {
        [SpanAttributes.httpMethod]: method,
        [SpanAttributes.urlPath]: request.path,
        ...(options.route === undefined ? {} : { [SpanAttributes.httpRoute]: options.route }),
      },
    },
    async (span) => {
      const answer = await context.with(context.active().setValue(serverSpanKey, span), work);
      span.setAttribute(SpanAttributes.httpStatus, answer.status);
      if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return answer;
    },
  );
}

/** Names the enclosing server span after the route a router matched (`POST accounts/{id}/deposit`). */
export function nameServerSpan(method: string, route: string): void {
  const span = context.active().getValue(serverSpanKey) as Span | undefined;
  if (span === undefined) return;
  span.updateName(`${method.toUpperCase()} ${route}`);
  span.setAttribute(SpanAttributes.httpRoute, route);
}
