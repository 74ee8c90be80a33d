import { z } from 'zod';
import { StreamName } from '../../src/core/index.ts';
import type { Reactor } from '../../src/reactors/index.ts';
import { createEventSummaryReactor, defineSummaryContract, type SummaryPublisher } from '../../src/summaries/index.ts';
import { accountCategory } from '../domain/account/index.ts';
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
    amount: z.number().int().describe('signed, in minor units (cents): positive in, negative out'),
    counterpartyAccountId: z.string().optional(),
    description: z.string().optional(),
    bookedAt: z.string().describe('ISO 8601: when the transaction completed'),
  }),
});
export type StatementLine = z.output<typeof StatementLine.schema>;

/**
 * Publishes the statement lines of account streams: one summary per event that books a completed transaction, at
 * that event's version, so every line has a stable idempotency key and versions per account only go up. The
 * processor keeps the name `reactor-statement-lines` it had as a hand-written reactor, so existing checkpoints hold.
 */
export function statementLineReactor(publisher: SummaryPublisher): Reactor {
  return createEventSummaryReactor({
    contract: StatementLine,
    category: accountCategory,
    codec: accountCodec,
    publisher,
    processorName: 'reactor-statement-lines',
    summarize: (event, { stream, recorded }) => {
      if (event.type === 'Snapshotted') return undefined;
      const entry = statementEntryOf(event);
      if (entry === undefined) return undefined;
      return { accountId: StreamName.id(stream), ...entry, bookedAt: recorded.timestamp.toISOString() };
    },
  });
}
