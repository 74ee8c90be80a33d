import { z } from 'zod';
import { Amount } from '../account/events.ts';

const Id = z.string().min(1).max(100);

/**
 * The events of a `Transfer-<id>` stream: every step of moving money between two accounts. These are internal to
 * the bank; consumers outside see only the statement lines published once a transfer has settled.
 */
export const TransferEvents = {
  Requested: z.object({
    fromAccountId: Id,
    toAccountId: Id,
    amount: Amount,
    description: z.string().max(200).optional(),
  }),
  /** the source account was debited (funds reserved) */
  FundsReserved: z.object({}),
  /** the target account was credited */
  Credited: z.object({}),
  /** the source account's reservation was settled: the transfer is done */
  Completed: z.object({}),
  /** a step was refused; when funds were already reserved, a compensation follows */
  Failed: z.object({ reason: z.string().max(500), stage: z.enum(['reserve', 'credit']) }),
  /** the reserved funds went back to the source account */
  Compensated: z.object({}),
};

type Schemas = typeof TransferEvents;
export type TransferEvent = { [K in keyof Schemas]: { type: K; data: z.infer<Schemas[K]> } }[keyof Schemas];
