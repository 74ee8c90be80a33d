import type { Instrumenter, InstrumenterSpanOptions, TracingContext, TracingSpan } from '@azure/core-tracing';
import {
  type AttributeValue,
  type Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  type Link,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { w3cTraceContextPropagator } from './trace-context.ts';

const kinds = {
  client: SpanKind.CLIENT,
  server: SpanKind.SERVER,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
} as const;

const isAttributeValue = (value: unknown): value is AttributeValue =>
  typeof value === 'string' ||
  typeof value === 'number' ||
  typeof value === 'boolean' ||
  (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'));

function attributesOf(values: Readonly<Record<string, unknown>> | undefined): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(values ?? {})) if (isAttributeValue(value)) attributes[name] = value;
  return attributes;
}

function wrap(span: Span): TracingSpan {
  return {
    setStatus: (status) => {
      if (status.status === 'success') return span.setStatus({ code: SpanStatusCode.OK });
      if (status.error !== undefined) span.recordException(status.error);
      span.setStatus({ code: SpanStatusCode.ERROR });
    },
    setAttribute: (name, value) => {
      if (isAttributeValue(value)) span.setAttribute(name, value);
    },
    end: () => span.end(),
    recordException: (exception) => span.recordException(exception),
    isRecording: () => span.isRecording(),
    addEvent: (name, options) => {
      span.addEvent(name, attributesOf(options?.attributes), options?.startTime);
    },
  };
}

/**
 * Bridges the Azure SDK's tracing (`@azure/core-tracing`, which Cosmos DB, Event Hubs and Blob Storage clients call)
 * to the registered OpenTelemetry tracer, so their spans join the active trace. Unlike module-patching
 * instrumentations it works however late it is installed, including in ES modules already loaded.
 */
export const azureSdkInstrumenter: Instrumenter = {
  startSpan(name: string, options: InstrumenterSpanOptions) {
    const parent = (options.tracingContext as Context | undefined) ?? context.active();
    const links: Link[] = [];
    for (const link of options.spanLinks ?? []) {
      const linked = trace.getSpanContext(link.tracingContext as Context);
      if (linked !== undefined) links.push({ context: linked, attributes: attributesOf(link.attributes) });
    }
    const span = trace.getTracer(options.packageName, options.packageVersion).startSpan(
      name,
      {
        kind: kinds[options.spanKind ?? 'internal'],
        attributes: attributesOf(options.spanAttributes),
        links,
      },
      parent,
    );
    return { span: wrap(span), tracingContext: trace.setSpan(parent, span) as TracingContext };
  },
  withContext(tracingContext, callback, ...callbackArgs) {
    return context.with(tracingContext as Context, callback, undefined, ...callbackArgs);
  },
  parseTraceparentHeader(traceparentHeader) {
    return w3cTraceContextPropagator.extract(
      context.active(),
      { traceparent: traceparentHeader },
      defaultTextMapGetter,
    ) as TracingContext;
  },
  createRequestHeaders(tracingContext) {
    const headers: Record<string, string> = {};
    w3cTraceContextPropagator.inject(
      (tracingContext as Context | undefined) ?? context.active(),
      headers,
      defaultTextMapSetter,
    );
    return headers;
  },
};
