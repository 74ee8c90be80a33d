import { createTracingClient, type OperationTracingOptions } from '@azure/core-tracing';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../../../src/tracing/setup.ts';
import { inSpan } from '../../../src/tracing/spans.ts';

let tracing: Tracing | undefined;
afterEach(async () => {
  await tracing?.stop();
  tracing = undefined;
});

describe('Azure SDK spans', () => {
  it('an Azure client library span (through @azure/core-tracing) joins the active trace', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = await startTracing({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const client = createTracingClient({ namespace: 'Microsoft.EventHub', packageName: '@azure/event-hubs' });
    let headers: Record<string, string> = {};
    await inSpan('publish', {}, () =>
      client.withSpan(
        'EventHubProducerClient.sendBatch',
        { tracingOptions: {} as OperationTracingOptions },
        async (options) => {
          headers = client.createRequestHeaders(options.tracingOptions?.tracingContext);
        },
      ),
    );
    const sdk = exporter.getFinishedSpans().find((span) => span.name === 'EventHubProducerClient.sendBatch');
    const parent = exporter.getFinishedSpans().find((span) => span.name === 'publish');
    expect(sdk?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(sdk?.instrumentationScope.name).toBe('@azure/event-hubs');
    // outgoing requests carry the SDK span's trace context
    expect(headers.traceparent).toBe(`00-${sdk?.spanContext().traceId}-${sdk?.spanContext().spanId}-01`);
  });
});
