import type { TimelineEvent } from '../core/index.ts';
import type { ReceivedSummary } from './receiver.ts';

/** A message as a consumer helper reads it from its partition, whatever the protocol. */
export interface ConsumerMessage {
  /** the partition key: the stream name for summaries Tributary published */
  readonly key: string | undefined;
  readonly headers: Readonly<Record<string, unknown>> | undefined;
  readonly value: unknown;
  /** Kafka offset or Event Hubs sequence number */
  readonly offset: bigint;
  readonly timestamp: Date;
}

/**
 * A message as the scheduler carries it (and a dead letter keeps it): plain JSON, so that a parked message can be
 * stored, read back and replayed. Bytes that are not UTF-8 travel as base64.
 */
export interface MessageRecord {
  readonly topic: string;
  readonly partition: string;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Record<string, unknown>;
  readonly value: unknown;
  readonly valueEncoding?: 'base64';
}

const utf8 = new TextDecoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const messageEventType = 'ConsumedMessage';

export function messageToEvent(
  topic: string,
  partition: string,
  message: ConsumerMessage,
  index: bigint,
): TimelineEvent {
  const record: MessageRecord = {
    topic,
    partition,
    offset: message.offset.toString(),
    key: message.key ?? null,
    headers: headersToJson(message.headers),
    ...valueToJson(message.value),
  };
  return { index, type: messageEventType, data: record, meta: null, timestamp: message.timestamp };
}

/** The receiver's view of a carried message. */
export function eventToReceived(event: TimelineEvent): {
  headers: Record<string, unknown>;
  value: unknown;
  source: ReceivedSummary['source'];
  record: MessageRecord;
} {
  const record = event.data as MessageRecord;
  const value = record.valueEncoding === 'base64' ? Buffer.from(String(record.value), 'base64') : record.value;
  return {
    headers: record.headers,
    value,
    source: { topic: record.topic, partition: record.partition, position: record.offset },
    record,
  };
}

function headersToJson(headers: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (headers === undefined) return json;
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    if (Buffer.isBuffer(value)) json[name] = value.toString('utf8');
    else if (value instanceof Uint8Array) json[name] = utf8.decode(value);
    else if (typeof value === 'bigint') json[name] = value.toString();
    else json[name] = value;
  }
  return json;
}

function valueToJson(value: unknown): { value: unknown; valueEncoding?: 'base64' } {
  if (value === undefined || value === null) return { value: null };
  if (value instanceof Uint8Array) {
    try {
      return { value: strictUtf8.decode(value) };
    } catch {
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      return { value: bytes.toString('base64'), valueEncoding: 'base64' };
    }
  }
  return { value };
}
