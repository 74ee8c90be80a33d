import { SummaryTooLarge } from './errors.ts';
import { envelopeHeaders } from './headers.ts';
import { maxSummaryMessageBytes } from './limits.ts';
import { type SummaryRecord, summaryJsonReplacer } from './summary-record.ts';

/**
 * Where summaries go: a Kafka / Event Hubs producer, or a local file. `publish` resolves only once the summary is
 * durably accepted (broker acknowledgement, file append), so a handler awaiting it lets the checkpoint move only then.
 */
export interface SummaryPublisher {
  publish(record: SummaryRecord): Promise<void>;
  close(): Promise<void>;
}

/** A summary serialized for the wire: key = stream name, value = JSON body, headers = the envelope. */
export interface EncodedSummary {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
  /** key + value + header names and values, in bytes */
  readonly bytes: number;
}

/** Serializes a summary (bigints as decimal strings) and refuses one over `limit` bytes: it is never truncated. */
export function encodeSummary(record: SummaryRecord, limit = maxSummaryMessageBytes): EncodedSummary {
  const value = JSON.stringify(record.body, summaryJsonReplacer);
  const headers = envelopeHeaders(record.envelope);
  const key = record.envelope.stream;
  let bytes = Buffer.byteLength(key) + Buffer.byteLength(value ?? '');
  for (const [name, headerValue] of Object.entries(headers))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(headerValue);
  if (bytes > limit) throw new SummaryTooLarge(record.envelope.contract, record.envelope.stream, bytes, limit);
  return { topic: record.topic, key, value: value ?? 'null', headers, bytes };
}
