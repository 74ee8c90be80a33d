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
  const value = bodyJson(record.body);
  const headers = envelopeHeaders(record.envelope);
  const key = record.envelope.stream;
  let bytes = Buffer.byteLength(key) + Buffer.byteLength(value ?? '');
  // header names are envelopeHeaders' ASCII constants: one byte per character
  for (const name in headers) bytes += name.length + Buffer.byteLength(headers[name] as string);
  if (bytes > limit) throw new SummaryTooLarge(record.envelope.contract, record.envelope.stream, bytes, limit);
  return { topic: record.topic, key, value: value ?? 'null', headers, bytes };
}

/**
 * The body's JSON. A replacer function slows `JSON.stringify` down for every value it visits, so the body is first
 * written without one; only a body holding a bigint (which `JSON.stringify` refuses) is written again with it.
 */
function bodyJson(body: unknown): string | undefined {
  try {
    return JSON.stringify(body);
  } catch {
    return JSON.stringify(body, summaryJsonReplacer);
  }
}
