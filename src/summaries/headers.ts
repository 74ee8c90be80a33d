/**
 * The headers every published summary carries — Kafka record headers, which Event Hubs exposes to AMQP consumers as
 * application properties. Values are strings so that both protocols read them the same way. A summary is a
 * CloudEvent in the Kafka binding's binary content mode (`CloudEventHeaders` plus `content-type`, the body as the
 * value); the `tributary-*` headers stay beside them for consumers built on releases that read only those.
 */
export const SummaryHeaders = {
  stream: 'tributary-stream',
  /** the stream version the summary reflects: the number of events in the stream when it was rendered */
  version: 'tributary-stream-version',
  contract: 'tributary-contract',
  contractVersion: 'tributary-contract-version',
  /** `${stream}:${version}:${contract}@${contractVersion}`: identical on every re-send of the same summary */
  idempotencyKey: 'tributary-idempotency-key',
  correlationId: 'tributary-correlation-id',
  /** W3C Trace Context of the span that published the summary (OpenTelemetry's header names for Kafka) */
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

/** The CloudEvents attributes as Kafka headers (CloudEvents Kafka protocol binding, binary content mode). */
export const CloudEventHeaders = {
  specversion: 'ce_specversion',
  /** the idempotency key: CloudEvents consumers deduplicate by source + id */
  id: 'ce_id',
  source: 'ce_source',
  /** `<contract>.v<contract version>` */
  type: 'ce_type',
  /** the stream name */
  subject: 'ce_subject',
  time: 'ce_time',
  /** the URI of the contract version's JSON Schema */
  dataschema: 'ce_dataschema',
  /** in binary mode the data's media type travels as the record's `content-type` header */
  contentType: 'content-type',
} as const;

const specVersion = '1.0';
const jsonMediaType = 'application/json';
const typePattern = /^(.+)\.v([1-9][0-9]*)$/;

/** The CloudEvents `type` of a contract version: `statement-line.v1`. */
export function cloudEventType(contract: string, contractVersion: number): string {
  return `${contract}.v${contractVersion}`;
}

/** What the headers say about a summary. */
export interface SummaryEnvelope {
  readonly stream: string;
  readonly version: bigint;
  readonly contract: string;
  readonly contractVersion: number;
  readonly idempotencyKey: string;
  readonly correlationId?: string | undefined;
  /** when what it summarizes happened (`ce_time`): the summarized event's timestamp, or the span's newest */
  readonly time?: Date | undefined;
  /** `ce_source`: the contract's source */
  readonly source?: string | undefined;
  /** `ce_dataschema`: the URI of the contract version's JSON Schema */
  readonly dataschema?: string | undefined;
  /** the W3C `traceparent` of the publishing span (and its `tracestate`), when tracing was on */
  readonly traceparent?: string | undefined;
  readonly tracestate?: string | undefined;
}

export function idempotencyKey(stream: string, version: bigint, contract: string, contractVersion: number): string {
  return `${stream}:${version}:${contract}@${contractVersion}`;
}

export function envelopeHeaders(envelope: SummaryEnvelope): Record<string, string> {
  const headers: Record<string, string> = {
    [CloudEventHeaders.specversion]: specVersion,
    [CloudEventHeaders.id]: envelope.idempotencyKey,
    [CloudEventHeaders.source]: envelope.source ?? `urn:tributary:${envelope.contract}`,
    [CloudEventHeaders.type]: cloudEventType(envelope.contract, envelope.contractVersion),
    [CloudEventHeaders.subject]: envelope.stream,
    [CloudEventHeaders.contentType]: jsonMediaType,
  };
  if (envelope.time !== undefined) headers[CloudEventHeaders.time] = envelope.time.toISOString();
  if (envelope.dataschema !== undefined) headers[CloudEventHeaders.dataschema] = envelope.dataschema;
  headers[SummaryHeaders.stream] = envelope.stream;
  headers[SummaryHeaders.version] = envelope.version.toString();
  headers[SummaryHeaders.contract] = envelope.contract;
  headers[SummaryHeaders.contractVersion] = String(envelope.contractVersion);
  headers[SummaryHeaders.idempotencyKey] = envelope.idempotencyKey;
  if (envelope.correlationId !== undefined) headers[SummaryHeaders.correlationId] = envelope.correlationId;
  if (envelope.traceparent !== undefined) headers[SummaryHeaders.traceparent] = envelope.traceparent;
  if (envelope.tracestate !== undefined) headers[SummaryHeaders.tracestate] = envelope.tracestate;
  return headers;
}

/**
 * Reads the envelope from Kafka headers (Buffer or string values) or AMQP application properties (strings, numbers):
 * the CloudEvents attributes when present, else the `tributary-*` headers of summaries published before them.
 * Returns undefined when the message was not published by Tributary (the stream version or the contract is missing
 * or unreadable).
 */
export function parseEnvelope(headers: Readonly<Record<string, unknown>> | undefined): SummaryEnvelope | undefined {
  if (!headers) return undefined;
  const typed = typePattern.exec(readHeader(headers, CloudEventHeaders.type) ?? '');
  const stream = readHeader(headers, CloudEventHeaders.subject) ?? readHeader(headers, SummaryHeaders.stream);
  const versionText = readHeader(headers, SummaryHeaders.version);
  const contract = typed?.[1] ?? readHeader(headers, SummaryHeaders.contract);
  const contractVersionText = typed?.[2] ?? readHeader(headers, SummaryHeaders.contractVersion);
  if (!stream || !versionText || !contract || !contractVersionText) return undefined;
  if (!digits.test(versionText) || !digits.test(contractVersionText)) return undefined;
  const version = BigInt(versionText);
  const contractVersion = Number(contractVersionText);
  const timeText = readHeader(headers, CloudEventHeaders.time);
  const time = timeText === undefined ? undefined : new Date(timeText);
  return {
    stream,
    version,
    contract,
    contractVersion,
    idempotencyKey:
      readHeader(headers, CloudEventHeaders.id) ??
      readHeader(headers, SummaryHeaders.idempotencyKey) ??
      idempotencyKey(stream, version, contract, contractVersion),
    correlationId: readHeader(headers, SummaryHeaders.correlationId),
    time: time && !Number.isNaN(time.getTime()) ? time : undefined,
    source: readHeader(headers, CloudEventHeaders.source),
    dataschema: readHeader(headers, CloudEventHeaders.dataschema),
    traceparent: readHeader(headers, SummaryHeaders.traceparent),
    tracestate: readHeader(headers, SummaryHeaders.tracestate),
  };
}

const digits = /^\d+$/;

/** A header as text: Kafka gives bytes (a list when repeated: the first counts), AMQP strings or numbers. */
function readHeader(headers: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = headers[name];
  if (typeof value === 'string') return value;
  const single = Array.isArray(value) ? value[0] : value;
  if (typeof single === 'string') return single;
  if (Buffer.isBuffer(single)) return single.toString('utf8');
  if (single instanceof Uint8Array) return Buffer.from(single.buffer, single.byteOffset, single.byteLength).toString();
  if (typeof single === 'number' || typeof single === 'bigint') return String(single);
  return undefined;
}
