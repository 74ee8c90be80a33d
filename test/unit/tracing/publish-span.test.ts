import { SpanKind } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { envelopeHeaders, parseEnvelope } from '../../../src/summaries/headers.ts';
import { publishInSpan } from '../../../src/summaries/publish-span.ts';
import type { SummaryPublisher } from '../../../src/summaries/publisher.ts';
import type { SummaryRecord } from '../../../src/summaries/summary-record.ts';
import { inSpan } from '../../../src/tracing/spans.ts';
import { type CollectedSpans, collectSpans, spanIdOf } from '../../support/spans.ts';

const record: SummaryRecord = {
  topic: 'statement-lines',
  body: { amount: 5 },
  envelope: {
    stream: 'Account-1',
    version: 3n,
    contract: 'statement-line',
    contractVersion: 1,
    idempotencyKey: 'Account-1:3:statement-line@1',
  },
};

function recordingPublisher() {
  const sent: SummaryRecord[] = [];
  let ack: () => void = () => {};
  const publisher: SummaryPublisher = {
    publish: (published) => {
      sent.push(published);
      return new Promise<void>((resolve) => {
        ack = resolve;
      });
    },
    close: async () => {},
  };
  return { publisher, sent, ack: () => ack() };
}

describe('summary publish span', () => {
  let collected: CollectedSpans | undefined;
  afterEach(async () => {
    await collected?.stop();
    collected = undefined;
  });

  it('without an SDK the record goes out unchanged, with no trace headers', async () => {
    const { publisher, sent, ack } = recordingPublisher();
    const done = publishInSpan(publisher, record);
    ack();
    await done;
    expect(sent[0]).toBe(record);
    expect(Object.keys(envelopeHeaders(sent[0]?.envelope ?? record.envelope))).not.toContain('traceparent');
  });

  it('a producer span, child of the handler, lasts until the ack; the message carries its traceparent', async () => {
    collected = await collectSpans();
    const { publisher, sent, ack } = recordingPublisher();
    const done = inSpan('handler', {}, () => publishInSpan(publisher, record));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(collected.named('send statement-lines')).toHaveLength(0);
    ack();
    await done;
    const [send] = collected.named('send statement-lines');
    const [handler] = collected.named('handler');
    expect(send?.kind).toBe(SpanKind.PRODUCER);
    expect(send?.parentSpanContext?.spanId).toBe(handler && spanIdOf(handler));
    expect(send?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'statement-lines',
      'messaging.operation.type': 'send',
      'tributary.stream': 'Account-1',
      'tributary.stream.version': 3,
    });
    const headers = envelopeHeaders(sent[0]?.envelope ?? record.envelope);
    expect(headers.traceparent).toBe(send && `00-${send.spanContext().traceId}-${spanIdOf(send)}-01`);
    expect(parseEnvelope(headers)?.traceparent).toBe(headers.traceparent);
  });
});
