// SpanProcessorShape stands in for the SDK's SpanProcessor in the package's declarations: both ways must fit.
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { createRecentSpans, type SpanProcessorShape } from '../../../src/tracing/index.ts';

describe('SpanProcessorShape', () => {
  it('takes an SDK processor, and the recent-spans processor is taken by an SDK provider', async () => {
    const sdkProcessor: SpanProcessorShape = new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() });
    const recent = createRecentSpans(10);
    const provider = new TracerProvider({ spanProcessors: [recent.processor] });
    provider.getTracer('shape').startSpan('kept').end();
    expect(recent.spans().map((span) => span.name)).toEqual(['kept']);
    await sdkProcessor.shutdown();
    await provider.shutdown();
  });
});
