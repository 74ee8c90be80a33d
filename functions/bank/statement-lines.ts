import { z } from 'zod';
import { StreamName } from '../../src/core/index.ts';
import { createReactor, type Reactor } from '../../src/reactors/index.ts';
import { defineSummaryContract, idempotencyKey, type SummaryPublisher } from '../../src/summaries/index.ts';
import { type AccountEvent, accountCategory } from '../domain/account/index.ts';
import { statementEntryOf } from '../domain/statement.ts';
import { accountCodec } from './accounts.ts';

/**
 * The published contract: one line per completed deposit, withdrawal or transfer of an account, keyed by the account
 * stream. Consumers see completed transactions only — never reservations, reversals or other internal steps.
 */
export const StatementLine = defineSummaryContract({
  name: 'statement-line',
  version: 1,
  topic: 'statement-lines',
  schema: z.object({
    accountId: z.string(),
    transactionId: z.string(),
    kind: z.enum(['deposit', 'withdrawal', 'transfer-in', 'transfer-out']),
    /** signed, minor units (cents): positive in, negative out */
    amount: z.number().int(),
    counterpartyAccountId: z.string().optional(),
    description: z.string().optional(),
    /** ISO 8601: when the transaction completed */
    bookedAt: z.string(),
  }),
});
export type StatementLine = z.output<typeof StatementLine.schema>;

/**
 * Publishes the statement lines of account streams. Each line is published at the version of the event that booked
 * it (version = index + 1), so every completed transaction is its own summary with a stable idempotency key, and
 * versions per account only go up. All lines of a span are handed to the publisher at once (it sends them in call
 * order per key); the span counts as handled only when every one is acknowledged.
 */
export function statementLineReactor(publisher: SummaryPublisher): Reactor {
  const { name: contract, version: contractVersion, topic, schema } = StatementLine;
  return createReactor({
    name: 'statement-lines',
    categories: [accountCategory],
    async handle(stream, events) {
      const accountId = StreamName.id(stream);
      const published: Promise<void>[] = [];
      for (const stored of events) {
        const event = accountCodec.decode(stored, stream);
        if (event === undefined || event.type === 'Snapshotted') continue;
        const entry = statementEntryOf(event as AccountEvent);
        if (entry === undefined) continue;
        const version = stored.index + 1n;
        const body = schema.parse({ accountId, ...entry, bookedAt: stored.timestamp.toISOString() });
        published.push(
          publisher.publish({
            topic,
            body,
            envelope: {
              stream,
              version,
              contract,
              contractVersion,
              idempotencyKey: idempotencyKey(stream, version, contract, contractVersion),
              correlationId: stored.correlationId,
            },
          }),
        );
      }
      await Promise.all(published);
    },
  });
}
