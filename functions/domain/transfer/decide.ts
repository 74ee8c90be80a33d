import { BankRuleViolations } from '../errors.ts';
import type { TransferCommand } from './commands.ts';
import type { TransferEvent } from './events.ts';
import type { TransferState } from './state.ts';

/**
 * Decides what a command does to a transfer. Each `Record…` command only moves the transfer forward from the step
 * it follows; from anywhere else it does nothing, so a reactor step that runs twice records once.
 */
export function decideTransfer(transferId: string, command: TransferCommand, state: TransferState): TransferEvent[] {
  if (command.type === 'Request') {
    const { type: _, ...data } = command;
    if (state.status === 'none') return [{ type: 'Requested', data }];
    const same =
      state.fromAccountId === data.fromAccountId &&
      state.toAccountId === data.toAccountId &&
      state.amount === data.amount;
    if (same) return [];
    throw BankRuleViolations.transferIdReused(transferId);
  }
  if (state.status === 'none') throw BankRuleViolations.transferNotFound(transferId);
  switch (command.type) {
    case 'RecordFundsReserved':
      return state.status === 'requested' ? [{ type: 'FundsReserved', data: {} }] : [];
    case 'RecordCredited':
      return state.status === 'reserved' ? [{ type: 'Credited', data: {} }] : [];
    case 'RecordCompleted':
      return state.status === 'credited' ? [{ type: 'Completed', data: {} }] : [];
    case 'RecordFailed':
      if (state.status === 'requested') return [{ type: 'Failed', data: { reason: command.reason, stage: 'reserve' } }];
      if (state.status === 'reserved') return [{ type: 'Failed', data: { reason: command.reason, stage: 'credit' } }];
      return [];
    case 'RecordCompensated':
      return state.status === 'compensating' ? [{ type: 'Compensated', data: {} }] : [];
  }
}
