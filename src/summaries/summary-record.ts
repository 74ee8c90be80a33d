import type { StreamName } from '../core/index.ts';
import type { SummaryContract } from './contract.ts';
import { SummaryRejected } from './errors.ts';
import { idempotencyKey } from './headers.ts';
import type { SummaryRecord } from './publisher.ts';

/**
 * Validates a rendered summary against its contract and wraps it in the envelope its headers carry. The idempotency
 * key depends only on stream, version and contract, so a re-sent summary carries the key it was first sent with.
 * Throws `SummaryRejected` when the summary does not match the contract's schema.
 */
export function summaryRecord<T>(
  contract: SummaryContract<T>,
  stream: StreamName,
  version: bigint,
  summary: T,
  correlationId: string | undefined,
): SummaryRecord {
  const parsed = contract.schema.safeParse(summary);
  if (!parsed.success) {
    throw new SummaryRejected(
      contract.name,
      stream,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
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
    },
  };
}
