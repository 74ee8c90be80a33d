import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  type Link,
  ProxyTracer,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { parseTraceparent } from './trace-context.ts';

/** The instrumentation scope of every Tributary span. */
export const tracerName = 'tributary';

/**
 * Attribute names: OpenTelemetry's semantic conventions (messaging, database, HTTP) where one fits, `tributary.*`
 * for the framework's own terms.
 */
export const SpanAttributes = {
  messagingSystem: 'messaging.system',
  messagingOperationType: 'messaging.operation.type',
  messagingOperationName: 'messaging.operation.name',
  messagingDestination: 'messaging.destination.name',
  messagingPartition: 'messaging.destination.partition.id',
  messagingConsumerGroup: 'messaging.consumer.group.name',
  messagingBatchCount: 'messaging.batch.message_count',
  messagingMessageId: 'messaging.message.id',
  messagingKafkaKey: 'messaging.kafka.message.key',
  messagingKafkaOffset: 'messaging.kafka.offset',
  dbSystem: 'db.system.name',
  dbNamespace: 'db.namespace',
  dbCollection: 'db.collection.name',
  dbOperation: 'db.operation.name',
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpStatus: 'http.response.status_code',
  urlPath: 'url.path',
  errorType: 'error.type',
  stream: 'tributary.stream',
  /** the version of the first event a span is about */
  streamVersion: 'tributary.stream.version',
  /** the number of events a span covers */
  eventCount: 'tributary.events',
  processor: 'tributary.processor',
  feedRange: 'tributary.feed_range',
  attempts: 'tributary.attempts',
  conflicts: 'tributary.conflicts',
  outcome: 'tributary.outcome',
} as const;

/** `db.system.name` for Cosmos DB. */
export const cosmosDbSystem = 'azure.cosmosdb';

/** The tracer of the registered provider (a no-op one when no OpenTelemetry SDK is registered). */
export function tributaryTracer(): Tracer {
  return trace.getTracer(tracerName);
}

/** The span every traced step gets when no SDK is registered: records nothing, names no trace. */
export const noopSpan: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * The registered provider's tracer, or undefined when no SDK is registered (the API then hands out its own proxy
 * tracer): callers skip parsing trace contexts and building links, so tracing off costs next to nothing.
 */
export function recordingTracer(): Tracer | undefined {
  const tracer = trace.getTracer(tracerName);
  return tracer instanceof ProxyTracer ? undefined : tracer;
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  readonly links?: readonly Link[];
  /** the parent; default the active context */
  readonly parent?: Context;
}

/** Marks a span failed with the error's class and message (never its details: messages carry no secrets). */
export function recordFailure(span: Span, error: unknown): void {
  const type = error instanceof Error ? ((error as { code?: unknown }).code ?? error.name) : typeof error;
  span.setAttribute(SpanAttributes.errorType, String(type));
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * Runs `work` inside a span made the active one, ending it when `work` settles and marking it failed if it throws
 * (the error is rethrown as is). With no SDK registered the span is a no-op and `work` runs as it would without it.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const tracer = recordingTracer();
  if (tracer === undefined) return work(noopSpan);
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.links && options.links.length > 0 ? { links: [...options.links] } : {}),
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work(span);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A link to the span a `traceparent` names (an event's writer, a message's producer); undefined when malformed. */
export function linkTo(traceparent: unknown, tracestate?: unknown, attributes?: Attributes): Link | undefined {
  const spanContext = parseTraceparent(traceparent, tracestate);
  if (spanContext === undefined) return undefined;
  return attributes ? { context: spanContext, attributes } : { context: spanContext };
}

/**
 * Links to the distinct spans that wrote `items` (events, messages): one link per writing span, however many items
 * it wrote, at most `limit` (the SDK's default link limit is 128).
 */
export function linksToWriters(
  items: Iterable<{ readonly traceparent?: string | undefined; readonly tracestate?: string | undefined }>,
  limit = 64,
): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item.traceparent === undefined || seen.has(item.traceparent)) continue;
    seen.add(item.traceparent);
    const link = linkTo(item.traceparent, item.tracestate);
    if (link !== undefined) links.push(link);
    if (links.length >= limit) break;
  }
  return links;
}

/** The context to start a server span in: the caller's `traceparent` as the remote parent, else the active one. */
export function contextFromTraceparent(traceparent: unknown, tracestate?: unknown): Context {
  const spanContext = parseTraceparent(traceparent, tracestate);
  const active = context.active();
  return spanContext === undefined ? active : trace.setSpanContext(active, spanContext);
}

export { SpanKind };

/**
 * The span of one change-feed page of a feed range, from the read's start (`startedAt`) to when the sink accepted
 * the page (messaging conventions: kind consumer, operation `receive`). A root span: pages are not caused by a
 * request. The caller ends it.
 */
export function startPageReadSpan(leaseToken: string, documents: number, startedAt: Date): Span {
  const tracer = recordingTracer();
  if (tracer === undefined) return noopSpan;
  return tracer.startSpan(
    `receive ${leaseToken}`,
    {
      kind: SpanKind.CONSUMER,
      startTime: startedAt,
      attributes: {
        [SpanAttributes.messagingOperationType]: 'receive',
        [SpanAttributes.messagingOperationName]: 'receive',
        [SpanAttributes.messagingBatchCount]: documents,
        [SpanAttributes.feedRange]: leaseToken,
        [SpanAttributes.dbSystem]: cosmosDbSystem,
      },
    },
    ROOT_CONTEXT,
  );
}
