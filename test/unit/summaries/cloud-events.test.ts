import { CloudEvent, Kafka, type KafkaMessage } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { StatementLine } from '../../../functions/bank/statement-lines.ts';
import { StreamName } from '../../../src/core/index.ts';
import { encodeSummary, parseEnvelope, SummaryHeaders } from '../../../src/summaries/index.ts';
import { summaryRecord } from '../../../src/summaries/summary-record.ts';

const line = {
  accountId: '42',
  transactionId: 't-1',
  kind: 'deposit' as const,
  amount: 1250,
  bookedAt: '2026-11-30T00:00:00.000Z',
};
const bookedAt = new Date('2026-11-30T00:00:00.000Z');

/** A statement line as the per-event reactor publishes it: the 5th event of Account-42, which booked it. */
const encoded = () =>
  encodeSummary(summaryRecord(StatementLine, StreamName.parse('Account-42'), 5n, line, 'corr-1', bookedAt));

describe('summaries on the wire are CloudEvents (Kafka protocol binding, binary content mode)', () => {
  it('that the cloudevents SDK reads, with every attribute set from the contract and the stream', () => {
    const message = encoded();
    const kafkaMessage: KafkaMessage<string> = {
      key: message.key,
      value: message.value,
      body: message.value,
      headers: message.headers,
    };
    const event = Kafka.toEvent(kafkaMessage);
    expect(event).toBeInstanceOf(CloudEvent);
    const read = event as CloudEvent<typeof line>;
    expect(read.validate()).toBe(true);
    expect({
      specversion: read.specversion,
      id: read.id,
      source: read.source,
      type: read.type,
      subject: read.subject,
      time: read.time,
      dataschema: read.dataschema,
      datacontenttype: read.datacontenttype,
      data: read.data,
    }).toEqual({
      specversion: '1.0',
      id: 'Account-42:5:statement-line@1',
      source: 'urn:tributary:statement-lines',
      type: 'statement-line.v1',
      subject: 'Account-42',
      time: '2026-11-30T00:00:00.000Z',
      dataschema: 'urn:tributary:statement-lines:v1',
      datacontenttype: 'application/json',
      data: line,
    });
  });

  it('keep the stream version and the tributary-* headers beside the CloudEvents attributes', () => {
    const { headers } = encoded();
    expect(headers[SummaryHeaders.version]).toBe('5');
    expect(headers).toMatchObject({
      'tributary-stream': 'Account-42',
      'tributary-contract': 'statement-line',
      'tributary-contract-version': '1',
      'tributary-idempotency-key': 'Account-42:5:statement-line@1',
      'tributary-correlation-id': 'corr-1',
    });
  });

  it('are read back into the envelope from the CloudEvents attributes', () => {
    expect(parseEnvelope(encoded().headers)).toEqual({
      stream: 'Account-42',
      version: 5n,
      contract: 'statement-line',
      contractVersion: 1,
      idempotencyKey: 'Account-42:5:statement-line@1',
      correlationId: 'corr-1',
      time: bookedAt,
      source: 'urn:tributary:statement-lines',
      dataschema: 'urn:tributary:statement-lines:v1',
    });
  });

  it('take the CloudEvents attributes over the older headers when both are present', () => {
    const headers = { ...encoded().headers, [SummaryHeaders.contract]: 'stale-name', [SummaryHeaders.stream]: 'X-1' };
    expect(parseEnvelope(headers)).toMatchObject({ contract: 'statement-line', stream: 'Account-42' });
  });

  it('and messages published before them, with tributary-* headers only, still read', () => {
    const legacy = Object.fromEntries(
      Object.entries(encoded().headers).filter(([name]) => name.startsWith('tributary-')),
    );
    expect(parseEnvelope(legacy)).toMatchObject({
      stream: 'Account-42',
      version: 5n,
      contract: 'statement-line',
      contractVersion: 1,
      idempotencyKey: 'Account-42:5:statement-line@1',
    });
  });

  it('a contract given its own source and schema URI carries them', () => {
    const contract = { ...StatementLine, source: '/bank/accounts', schemaUri: 'https://schemas.example/lines/v1' };
    const { headers } = encodeSummary(summaryRecord(contract, StreamName.parse('Account-1'), 1n, line, undefined));
    expect(headers).toMatchObject({ ce_source: '/bank/accounts', ce_dataschema: 'https://schemas.example/lines/v1' });
    expect(headers).not.toHaveProperty('ce_time');
  });
});
