import type { AccountEvent } from './account/events.ts';

/**
 * A completed transaction as it appears on an account's statement. Only completed money movements make lines:
 * deposits, withdrawals, transfers received, transfers settled. Reservations and their reversals are internal.
 */
export interface StatementEntry {
  readonly transactionId: string;
  readonly kind: 'deposit' | 'withdrawal' | 'transfer-in' | 'transfer-out';
  /** signed, minor units: positive money in, negative money out */
  readonly amount: number;
  readonly counterpartyAccountId?: string | undefined;
  readonly description?: string | undefined;
}

export function statementEntryOf(event: AccountEvent): StatementEntry | undefined {
  switch (event.type) {
    case 'Deposited':
      return {
        transactionId: event.data.transactionId,
        kind: 'deposit',
        amount: event.data.amount,
        description: event.data.description,
      };
    case 'Withdrawn':
      return {
        transactionId: event.data.transactionId,
        kind: 'withdrawal',
        amount: -event.data.amount,
        description: event.data.description,
      };
    case 'TransferCredited':
      return {
        transactionId: `transfer:${event.data.transferId}`,
        kind: 'transfer-in',
        amount: event.data.amount,
        counterpartyAccountId: event.data.fromAccountId,
      };
    case 'TransferSettled':
      return {
        transactionId: `transfer:${event.data.transferId}`,
        kind: 'transfer-out',
        amount: -event.data.amount,
        counterpartyAccountId: event.data.toAccountId,
      };
    default:
      return undefined;
  }
}
