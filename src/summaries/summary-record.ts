import { roundTripBreak } from '../codec/index.ts';
import type { StreamName } from '../core/index.ts';
import type { SummaryContract } from './contract.ts';
import { SummaryRejected, UnreadableSummary } from './errors.ts';
import { idempotencyKey, type SummaryEnvelope } from './headers.ts';
import { roundTripsByConstruction } from './json-safe-schema.ts';

/** A validated summary ready to go out: its body, the topic, and the envelope that becomes its headers. */
export interface SummaryRecord {
  readonly topic: string;
  readonly envelope: SummaryEnvelope;
  readonly body: unknown;
}

/** How summaries are written on the wire: JSON, with bigints as decimal strings (which `z.coerce.bigint()` reads). */
export function summaryJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * Validates a rendered summary against its contract and wraps it in the envelope its headers carry. The idempotency
 * key depends only on stream, version and contract, so a re-sent summary carries the key it was first sent with.
 * Throws `SummaryRejected` when the summary does not match the contract's schema, and `UnreadableSummary` when it
 * does but would not read back as itself from its JSON (consumers parse it with the same schema).
 */
export function summaryRecord<T>(
  contract: SummaryContract<T>,
  stream: StreamName,
  version: bigint,
  summary: T,
  correlationId: string | undefined,
  /** when what the summary reports happened: its CloudEvents `time` */
  time?: Date,
): SummaryRecord {
  const parsed = contract.schema.safeParse(summary);
  if (!parsed.success) {
    throw new SummaryRejected(
      contract.name,
      stream,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  // A schema whose every output reads back as itself by construction needs no trial round trip per summary.
  const broken = roundTripsByConstruction(contract.schema)
    ? undefined
    : roundTripBreak(parsed.data, (json) => contract.schema.safeParse(json), summaryJsonReplacer);
  if (broken) throw new UnreadableSummary(contract.name, stream, broken.field, broken.problem);
  return {
    topic: contract.topic,
    body: parsed.data,
    envelope: {
      stream,
      version,
      contract: contract.name,
      contractVersion: contract.version,
      idempotencyKey: idempotencyKey(stream, version, contract.name, contract.version),
      correlationId,
      time,
      source: contract.source,
      dataschema: contract.schemaUri,
    },
  };
}
