import { z } from 'zod';
import { Amount } from '../account/events.ts';

const Id = z.string().min(1).max(100);

/** `Request` comes from clients; the `Record…` commands come from the transfer reactor as each step completes. */
export const TransferCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('Request'),
    fromAccountId: Id,
    toAccountId: Id,
    amount: Amount,
    description: z.string().max(200).optional(),
  }),
  z.object({ type: z.literal('RecordFundsReserved') }),
  z.object({ type: z.literal('RecordCredited') }),
  z.object({ type: z.literal('RecordCompleted') }),
  z.object({ type: z.literal('RecordFailed'), reason: z.string().max(500) }),
  z.object({ type: z.literal('RecordCompensated') }),
]);
export type TransferCommand = z.infer<typeof TransferCommand>;
