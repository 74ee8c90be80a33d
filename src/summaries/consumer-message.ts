import { isUtf8 } from 'node:buffer';
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

export const messageEventType = 'ConsumedMessage';

export function messageToEvent(
  topic: string,
  partition: string,
  message: ConsumerMessage,
  index: bigint,
): TimelineEvent {
  const offset = message.offset.toString();
  const key = message.key ?? null;
  const headers = headersToJson(message.headers);
  const { value } = message;
  let record: MessageRecord;
  if (!(value instanceof Uint8Array)) {
    record = { topic, partition, offset, key, headers, value: value ?? null };
  } else {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    record = isUtf8(bytes)
      ? { topic, partition, offset, key, headers, value: bytes.toString('utf8') }
      : { topic, partition, offset, key, headers, value: bytes.toString('base64'), valueEncoding: 'base64' };
  }
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
  for (const name in headers) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    if (value instanceof Uint8Array) json[name] = Buffer.isBuffer(value) ? value.toString('utf8') : utf8.decode(value);
    else if (typeof value === 'bigint') json[name] = value.toString();
    else json[name] = value;
  }
  return json;
}
