/**
 * The headers every published summary carries — Kafka record headers, which Event Hubs exposes to AMQP consumers as
 * application properties. Values are strings so that both protocols read them the same way.
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
} as const;

/** What the headers say about a summary. */
export interface SummaryEnvelope {
  readonly stream: string;
  readonly version: bigint;
  readonly contract: string;
  readonly contractVersion: number;
  readonly idempotencyKey: string;
  readonly correlationId?: string | undefined;
}

export function idempotencyKey(stream: string, version: bigint, contract: string, contractVersion: number): string {
  return `${stream}:${version}:${contract}@${contractVersion}`;
}

export function envelopeHeaders(envelope: SummaryEnvelope): Record<string, string> {
  const headers: Record<string, string> = {
    [SummaryHeaders.stream]: envelope.stream,
    [SummaryHeaders.version]: envelope.version.toString(),
    [SummaryHeaders.contract]: envelope.contract,
    [SummaryHeaders.contractVersion]: String(envelope.contractVersion),
    [SummaryHeaders.idempotencyKey]: envelope.idempotencyKey,
  };
  if (envelope.correlationId !== undefined) headers[SummaryHeaders.correlationId] = envelope.correlationId;
  return headers;
}

/**
 * Reads the envelope from Kafka headers (Buffer or string values) or AMQP application properties (strings, numbers).
 * Returns undefined when the message was not published by Tributary (a required header is missing or unreadable).
 */
export function parseEnvelope(headers: Readonly<Record<string, unknown>> | undefined): SummaryEnvelope | undefined {
  if (!headers) return undefined;
  const read = (name: string): string | undefined => {
    const value = headers[name];
    const single = Array.isArray(value) ? value[0] : value;
    if (typeof single === 'string') return single;
    if (Buffer.isBuffer(single) || single instanceof Uint8Array) return Buffer.from(single).toString('utf8');
    if (typeof single === 'number' || typeof single === 'bigint') return String(single);
    return undefined;
  };
  const stream = read(SummaryHeaders.stream);
  const versionText = read(SummaryHeaders.version);
  const contract = read(SummaryHeaders.contract);
  const contractVersionText = read(SummaryHeaders.contractVersion);
  if (!stream || !versionText || !contract || !contractVersionText) return undefined;
  if (!/^\d+$/.test(versionText) || !/^\d+$/.test(contractVersionText)) return undefined;
  const version = BigInt(versionText);
  const contractVersion = Number(contractVersionText);
  return {
    stream,
    version,
    contract,
    contractVersion,
    idempotencyKey: read(SummaryHeaders.idempotencyKey) ?? idempotencyKey(stream, version, contract, contractVersion),
    correlationId: read(SummaryHeaders.correlationId),
  };
}
