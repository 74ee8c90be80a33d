import type { Context } from '@opentelemetry/api';

/**
 * An OpenTelemetry SDK span processor (`SpanProcessor` of `@opentelemetry/sdk-trace`) described by its shape, so that
 * this package's declarations type-check without the optional SDK installed. Any SDK processor is one, and one this
 * package hands out (`createRecentSpans().processor`) is accepted by an SDK tracer provider.
 */
export interface SpanProcessorShape {
  onStart(span: never, parentContext: Context): void;
  onEnd(span: never): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
