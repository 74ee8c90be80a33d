import type { AccountEvent } from './events.ts';

/**
 * How many recent transaction ids an account remembers to make retried commands no-ops. Retries (HTTP clients
 * re-sending, the transfer reactor re-running a step) come soon after the first attempt, so a bounded window keeps
 * the state (and its snapshot) small without weakening idempotency in practice.
 */
export const rememberedTransactionIds = 128;

export type AccountState =
  | { readonly status: 'unopened' }
  | {
      readonly status: 'open' | 'closed';
      readonly owner: string;
      readonly overdraftLimit: number;
      /** minor units; may be negative down to `-overdraftLimit` */
      readonly balance: number;
      /** transfers debited here and not yet settled or reversed, by transfer id */
      readonly pendingOutgoing: Readonly<Record<string, PendingTransfer>>;
      /** most recent last; JSON-friendly so that the state can be stored as a snapshot */
      readonly recentTransactionIds: readonly string[];
    };

export interface PendingTransfer {
  readonly amount: number;
  readonly toAccountId: string;
}

export type OpenedAccount = Extract<AccountState, { status: 'open' | 'closed' }>;

export const initialAccountState: AccountState = { status: 'unopened' };

/** The transaction id a transfer step is remembered under on an account. */
export const transferStepId = (transferId: string, step: 'debit' | 'credit') => `transfer:${transferId}:${step}`;

function remember(state: OpenedAccount, id: string): readonly string[] {
  const ids = [...state.recentTransactionIds, id];
  return ids.length > rememberedTransactionIds ? ids.slice(ids.length - rememberedTransactionIds) : ids;
}

function withoutPending(pending: Readonly<Record<string, PendingTransfer>>, transferId: string) {
  const { [transferId]: _settled, ...rest } = pending;
  return rest;
}

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  if (event.type === 'Opened') {
    return {
      status: 'open',
      owner: event.data.owner,
      overdraftLimit: event.data.overdraftLimit,
      balance: 0,
      pendingOutgoing: {},
      recentTransactionIds: [],
    };
  }
  if (state.status === 'unopened') return state;
  switch (event.type) {
    case 'Deposited':
      return {
        ...state,
        balance: state.balance + event.data.amount,
        recentTransactionIds: remember(state, event.data.transactionId),
      };
    case 'Withdrawn':
      return {
        ...state,
        balance: state.balance - event.data.amount,
        recentTransactionIds: remember(state, event.data.transactionId),
      };
    case 'TransferDebited':
      return {
        ...state,
        balance: state.balance - event.data.amount,
        pendingOutgoing: {
          ...state.pendingOutgoing,
          [event.data.transferId]: { amount: event.data.amount, toAccountId: event.data.toAccountId },
        },
        recentTransactionIds: remember(state, transferStepId(event.data.transferId, 'debit')),
      };
    case 'TransferSettled':
      return { ...state, pendingOutgoing: withoutPending(state.pendingOutgoing, event.data.transferId) };
    case 'TransferDebitReversed':
      return {
        ...state,
        balance: state.balance + event.data.amount,
        pendingOutgoing: withoutPending(state.pendingOutgoing, event.data.transferId),
      };
    case 'TransferCredited':
      return {
        ...state,
        balance: state.balance + event.data.amount,
        recentTransactionIds: remember(state, transferStepId(event.data.transferId, 'credit')),
      };
    case 'Closed':
      return { ...state, status: 'closed' };
  }
}
