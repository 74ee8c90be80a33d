import { BankRuleViolations } from '../errors.ts';
import type { AccountCommand } from './commands.ts';
import type { AccountEvent } from './events.ts';
import { type AccountState, type OpenedAccount, transferStepId } from './state.ts';

/** Balance plus overdraft: how much the account can still pay out. */
export const availableFunds = (state: OpenedAccount) => state.balance + state.overdraftLimit;

/**
 * Decides what a command does to an account. Pure: throws a `BankRuleViolation` when a rule forbids the command,
 * returns no events when the command was already applied (idempotency), else the events to append.
 */
export function decideAccount(accountId: string, command: AccountCommand, state: AccountState): AccountEvent[] {
  if (command.type === 'Open') {
    if (state.status === 'unopened') {
      return [{ type: 'Opened', data: { owner: command.owner, overdraftLimit: command.overdraftLimit } }];
    }
    if (state.owner === command.owner && state.overdraftLimit === command.overdraftLimit) return [];
    throw BankRuleViolations.alreadyOpened(accountId);
  }
  if (state.status === 'unopened') throw BankRuleViolations.accountNotFound(accountId);
  // Seen transaction ids are checked before the account's status: a retry of a step that succeeded before the
  // account was closed must still be a no-op, not an error.
  const seen = (id: string) => state.recentTransactionIds.includes(id);

  switch (command.type) {
    case 'Deposit': {
      if (seen(command.transactionId)) return [];
      if (state.status === 'closed') throw BankRuleViolations.accountClosed(accountId);
      const { type: _, ...data } = command;
      return [{ type: 'Deposited', data }];
    }
    case 'Withdraw': {
      if (seen(command.transactionId)) return [];
      if (state.status === 'closed') throw BankRuleViolations.accountClosed(accountId);
      if (command.amount > availableFunds(state)) {
        throw BankRuleViolations.insufficientFunds(accountId, command.amount, availableFunds(state));
      }
      const { type: _, ...data } = command;
      return [{ type: 'Withdrawn', data }];
    }
    case 'Close': {
      if (state.status === 'closed') return [];
      const pending = Object.keys(state.pendingOutgoing);
      if (pending.length > 0) throw BankRuleViolations.transferPending(accountId, pending);
      if (state.balance !== 0) throw BankRuleViolations.balanceNotZero(accountId, state.balance);
      return [{ type: 'Closed', data: {} }];
    }
    case 'DebitForTransfer': {
      if (seen(transferStepId(command.transferId, 'debit'))) return [];
      if (state.status === 'closed') throw BankRuleViolations.accountClosed(accountId);
      if (command.amount > availableFunds(state)) {
        throw BankRuleViolations.insufficientFunds(accountId, command.amount, availableFunds(state));
      }
      const { type: _, ...data } = command;
      return [{ type: 'TransferDebited', data }];
    }
    case 'SettleTransfer': {
      const pending = state.pendingOutgoing[command.transferId];
      if (pending === undefined) return [];
      return [{ type: 'TransferSettled', data: { transferId: command.transferId, ...pending } }];
    }
    case 'ReverseTransferDebit': {
      const pending = state.pendingOutgoing[command.transferId];
      if (pending === undefined) return [];
      const data = { transferId: command.transferId, amount: pending.amount, reason: command.reason };
      return [{ type: 'TransferDebitReversed', data }];
    }
    case 'CreditForTransfer': {
      if (seen(transferStepId(command.transferId, 'credit'))) return [];
      if (state.status === 'closed') throw BankRuleViolations.accountClosed(accountId);
      const { type: _, ...data } = command;
      return [{ type: 'TransferCredited', data }];
    }
  }
}
