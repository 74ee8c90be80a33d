import { inSpan, SpanAttributes, SpanKind } from '../tracing/spans.ts';
import { traceContextFields } from '../tracing/trace-context.ts';
import type { SummaryPublisher } from './publisher.ts';
import type { SummaryRecord } from './summary-record.ts';

/**
 * Publishes a summary inside a producer span (`send <topic>`, OpenTelemetry's messaging conventions) that lasts until
 * the publisher's acknowledgement, and puts that span's `traceparent`/`tracestate` in the message's headers so that a
 * consumer links its span to this one. With no SDK registered the record goes out as it came.
 */
export function publishInSpan(publisher: SummaryPublisher, record: SummaryRecord): Promise<void> {
  const { envelope } = record;
  return inSpan(
    `send ${record.topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [SpanAttributes.messagingSystem]: 'kafka',
        [SpanAttributes.messagingOperationType]: 'send',
        [SpanAttributes.messagingOperationName]: 'send',
        [SpanAttributes.messagingDestination]: record.topic,
        [SpanAttributes.messagingKafkaKey]: envelope.stream,
        [SpanAttributes.messagingMessageId]: envelope.idempotencyKey,
        [SpanAttributes.stream]: envelope.stream,
        [SpanAttributes.streamVersion]: Number(envelope.version),
      },
    },
    (span) => {
      const trace = traceContextFields(span.spanContext());
      if (trace === undefined) return publisher.publish(record);
      return publisher.publish({ ...record, envelope: { ...envelope, ...trace } });
    },
  );
}
