import { z } from 'zod';

/** Amounts are integers in minor units (cents): no floating-point money. */
export const Amount = z.number().int().positive().max(1_000_000_000_000);
const Id = z.string().min(1).max(100);

/**
 * The events of an `Account-<id>` stream. Transfers touch an account in steps (debited → settled or reversed on the
 * source, credited on the target) because one transaction cannot span two streams; the `Transfer` process drives them.
 */
export const AccountEvents = {
  Opened: z.object({ owner: z.string().min(1).max(200), overdraftLimit: z.number().int().min(0) }),
  Deposited: z.object({ transactionId: Id, amount: Amount, description: z.string().max(200).optional() }),
  Withdrawn: z.object({ transactionId: Id, amount: Amount, description: z.string().max(200).optional() }),
  /** funds reserved on the source account for a transfer in progress */
  TransferDebited: z.object({ transferId: Id, amount: Amount, toAccountId: Id }),
  /** the transfer completed: the reserved funds are gone for good */
  TransferSettled: z.object({ transferId: Id, amount: Amount, toAccountId: Id }),
  /** compensation: the transfer failed after the debit, the reserved funds come back */
  TransferDebitReversed: z.object({ transferId: Id, amount: Amount, reason: z.string().max(500) }),
  TransferCredited: z.object({ transferId: Id, amount: Amount, fromAccountId: Id }),
  Closed: z.object({}),
};

type Schemas = typeof AccountEvents;
export type AccountEvent = { [K in keyof Schemas]: { type: K; data: z.infer<Schemas[K]> } }[keyof Schemas];
