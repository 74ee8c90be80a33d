import { isUtf8 } from 'node:buffer';
import type { TimelineEvent } from '../core/index.ts';
import type { DeadLetter, DeadLetterStore } from '../streams/index.ts';
import { producerTrace } from './consumer-trace.ts';
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
 * A message as a dead letter keeps it: plain JSON, so that a parked message can be stored, read back and replayed.
 * Bytes that are not UTF-8 travel as base64.
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

/** What the receiver reads of a carried message, and how `onUnreadable` and a dead letter see it. */
export interface CarriedMessage {
  readonly headers: Readonly<Record<string, unknown>> | undefined;
  readonly value: unknown;
  readonly source: ReceivedSummary['source'];
  readonly topic: string;
  readonly partition: string;
  /** the offset as a number (see `OffsetTracker`) */
  readonly offset: number;
  /** the message as `onUnreadable` is given it: headers as text, a UTF-8 body as text (other bytes as they came) */
  recorded(): { headers: Record<string, unknown>; value: unknown };
}

/**
 * A message as the scheduler carries it: as read (bytes and header buffers untouched), with its `MessageRecord`
 * built only when something needs it (a dead letter, `onUnreadable`), since most messages are handled and let go.
 */
export class ConsumedMessage implements CarriedMessage {
  private record: MessageRecord | undefined;

  constructor(
    readonly topic: string,
    readonly partition: string,
    readonly message: ConsumerMessage,
  ) {}

  get headers(): Readonly<Record<string, unknown>> | undefined {
    return this.message.headers;
  }

  get value(): unknown {
    return this.message.value;
  }

  get offset(): number {
    return Number(this.message.offset);
  }

  get source(): ReceivedSummary['source'] {
    return { topic: this.topic, partition: this.partition, position: this.message.offset.toString() };
  }

  recorded(): { headers: Record<string, unknown>; value: unknown } {
    const { headers, value, valueEncoding } = this.toRecord();
    return { headers, value: valueEncoding === 'base64' ? this.message.value : value };
  }

  toRecord(): MessageRecord {
    this.record ??= recordOf(this.topic, this.partition, this.message);
    return this.record;
  }

  toJSON(): MessageRecord {
    return this.toRecord();
  }
}

/** A message a dead letter kept, handed back by a replay. */
class RecordedMessage implements CarriedMessage {
  readonly value: unknown;

  constructor(private readonly record: MessageRecord) {
    this.value = record.valueEncoding === 'base64' ? Buffer.from(String(record.value), 'base64') : record.value;
  }

  get headers(): Record<string, unknown> {
    return this.record.headers;
  }

  get topic(): string {
    return this.record.topic;
  }

  get partition(): string {
    return this.record.partition;
  }

  get offset(): number {
    return Number(this.record.offset);
  }

  get source(): ReceivedSummary['source'] {
    return { topic: this.record.topic, partition: this.record.partition, position: this.record.offset };
  }

  recorded(): { headers: Record<string, unknown>; value: unknown } {
    return { headers: this.record.headers, value: this.value };
  }
}

export function messageToEvent(
  topic: string,
  partition: string,
  message: ConsumerMessage,
  index: bigint,
): TimelineEvent {
  return {
    index,
    type: messageEventType,
    data: new ConsumedMessage(topic, partition, message),
    meta: null,
    timestamp: message.timestamp,
    ...producerTrace(message.headers),
  };
}

/** The receiver's view of a carried message: one read now, or one a dead letter kept (a replay). */
export function eventToReceived(event: TimelineEvent): CarriedMessage {
  const { data } = event;
  return data instanceof ConsumedMessage ? data : new RecordedMessage(data as MessageRecord);
}

/** A dead-letter store that keeps carried messages as their `MessageRecord`s (built then, not as they were read). */
export function withMessageRecords(store: DeadLetterStore): DeadLetterStore {
  return {
    put: (letter) => store.put(recordsOf(letter)),
    list: (processor) => store.list(processor),
    remove: (processor, stream) => store.remove(processor, stream),
  };
}

function recordsOf(letter: DeadLetter): DeadLetter {
  const events = letter.events.map((event) =>
    event.data instanceof ConsumedMessage ? { ...event, data: event.data.toRecord() } : event,
  );
  return { ...letter, events };
}

function recordOf(topic: string, partition: string, message: ConsumerMessage): MessageRecord {
  const offset = message.offset.toString();
  const key = message.key ?? null;
  const headers = headersToJson(message.headers);
  const { value } = message;
  if (!(value instanceof Uint8Array)) return { topic, partition, offset, key, headers, value: value ?? null };
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return isUtf8(bytes)
    ? { topic, partition, offset, key, headers, value: bytes.toString('utf8') }
    : { topic, partition, offset, key, headers, value: bytes.toString('base64'), valueEncoding: 'base64' };
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
