import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startTracing, type Tracing } from '../../src/tracing/index.ts';

/** Tracing registered for a test with the SDK's in-memory exporter; `stop` unregisters it. */
export interface CollectedSpans {
  readonly exporter: InMemorySpanExporter;
  readonly tracing: Tracing;
  /** the ended spans so far */
  spans(): ReadableSpan[];
  /** the ended spans named `name` */
  named(name: string | RegExp): ReadableSpan[];
  stop(): Promise<void>;
}

export async function collectSpans(options: { readonly recentSpans?: number } = {}): Promise<CollectedSpans> {
  const exporter = new InMemorySpanExporter();
  const tracing = await startTracing({
    azureSdk: false,
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    ...(options.recentSpans ? { recentSpans: options.recentSpans } : {}),
  });
  const spans = () => exporter.getFinishedSpans();
  return {
    exporter,
    tracing,
    spans,
    named: (name) => spans().filter((span) => (typeof name === 'string' ? span.name === name : name.test(span.name))),
    stop: async () => {
      await tracing.stop();
      exporter.reset();
    },
  };
}

export const spanIdOf = (span: ReadableSpan) => span.spanContext().spanId;
export const traceIdOf = (span: ReadableSpan) => span.spanContext().traceId;
