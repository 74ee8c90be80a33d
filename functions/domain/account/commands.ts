import { z } from 'zod';
import { Amount } from './events.ts';

const Id = z.string().min(1).max(100);
const Description = z.string().max(200).optional();

/**
 * What can be asked of an account. `transactionId` makes deposits and withdrawals idempotent: the same id twice
 * changes nothing the second time. The transfer steps are issued by the transfer reactor, never over HTTP.
 */
export const AccountCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Open'), owner: z.string().min(1).max(200), overdraftLimit: z.number().int().min(0) }),
  z.object({ type: z.literal('Deposit'), transactionId: Id, amount: Amount, description: Description }),
  z.object({ type: z.literal('Withdraw'), transactionId: Id, amount: Amount, description: Description }),
  z.object({ type: z.literal('Close') }),
  z.object({ type: z.literal('DebitForTransfer'), transferId: Id, amount: Amount, toAccountId: Id }),
  z.object({ type: z.literal('SettleTransfer'), transferId: Id }),
  z.object({ type: z.literal('ReverseTransferDebit'), transferId: Id, reason: z.string().max(500) }),
  z.object({ type: z.literal('CreditForTransfer'), transferId: Id, amount: Amount, fromAccountId: Id }),
]);
export type AccountCommand = z.infer<typeof AccountCommand>;
