import type { TransferEvent } from './events.ts';

export type TransferStatus =
  | 'requested'
  | 'reserved'
  | 'credited'
  | 'completed'
  /** refused before any money moved: terminal */
  | 'failed'
  /** refused after the debit: waiting for the debit to be reversed */
  | 'compensating'
  | 'compensated';

export type TransferState =
  | { readonly status: 'none' }
  | {
      readonly status: TransferStatus;
      readonly fromAccountId: string;
      readonly toAccountId: string;
      readonly amount: number;
      readonly description?: string | undefined;
      readonly failureReason?: string | undefined;
    };

export type RequestedTransfer = Exclude<TransferState, { status: 'none' }>;

export const initialTransferState: TransferState = { status: 'none' };

export function evolveTransfer(state: TransferState, event: TransferEvent): TransferState {
  if (event.type === 'Requested') return { status: 'requested', ...event.data };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'FundsReserved':
      return { ...state, status: 'reserved' };
    case 'Credited':
      return { ...state, status: 'credited' };
    case 'Completed':
      return { ...state, status: 'completed' };
    case 'Failed':
      return {
        ...state,
        status: event.data.stage === 'reserve' ? 'failed' : 'compensating',
        failureReason: event.data.reason,
      };
    case 'Compensated':
      return { ...state, status: 'compensated' };
  }
}

export const isTransferFinished = (state: TransferState) =>
  state.status === 'completed' || state.status === 'failed' || state.status === 'compensated';
