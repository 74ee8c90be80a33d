import { describe, expect, it } from 'vitest';
import {
  type AccountEvent,
  accountDecider,
  rememberedTransactionIds,
  transferStepId,
} from '../../../functions/domain/account/index.ts';
import { BankRuleViolation } from '../../../functions/domain/errors.ts';
import { DeciderSpecification } from '../../../src/decider/index.ts';

const account = DeciderSpecification.for(accountDecider('42'));
const opened: AccountEvent = { type: 'Opened', data: { owner: 'Ada', overdraftLimit: 100 } };
const deposited = (amount: number, transactionId = `d-${amount}`): AccountEvent => ({
  type: 'Deposited',
  data: { transactionId, amount },
});
const debited: AccountEvent = { type: 'TransferDebited', data: { transferId: 't1', amount: 30, toAccountId: '7' } };

describe('Account decider', () => {
  it('opens an account once; opening it again the same way changes nothing', () => {
    account.given([]).when({ type: 'Open', owner: 'Ada', overdraftLimit: 100 }).then([opened]);
    account.given([opened]).when({ type: 'Open', owner: 'Ada', overdraftLimit: 100 }).thenNothingHappens();
  });

  it('refuses to reopen an account with a different owner', () => {
    account
      .given([opened])
      .when({ type: 'Open', owner: 'Bob', overdraftLimit: 100 })
      .thenThrows(BankRuleViolation, 'already open');
  });

  it('refuses deposits to an account that was never opened, as not found', () => {
    const decide = () =>
      accountDecider('42').decide({ type: 'Deposit', transactionId: 'x', amount: 5 }, { status: 'unopened' });
    expect(decide).toThrow(expect.objectContaining({ code: 'AccountNotFound', kind: 'notFound' }));
  });

  it('deposits money', () => {
    account
      .given([opened])
      .when({ type: 'Deposit', transactionId: 'd1', amount: 50 })
      .then([deposited(50, 'd1')]);
  });

  it('ignores a deposit retried with the same transaction id', () => {
    account
      .given([opened, deposited(50, 'd1')])
      .when({ type: 'Deposit', transactionId: 'd1', amount: 50 })
      .thenNothingHappens();
  });

  it('lets a withdrawal use the overdraft, down to the limit and no further', () => {
    account
      .given([opened, deposited(20)])
      .when({ type: 'Withdraw', transactionId: 'w1', amount: 120 })
      .then([{ type: 'Withdrawn', data: { transactionId: 'w1', amount: 120 } }]);
    account
      .given([opened, deposited(20)])
      .when({ type: 'Withdraw', transactionId: 'w1', amount: 121 })
      .thenThrows(BankRuleViolation, 'only 120 is available');
  });

  it('closes an account only when its balance is zero', () => {
    account
      .given([opened])
      .when({ type: 'Close' })
      .then([{ type: 'Closed', data: {} }]);
    account
      .given([opened, deposited(5)])
      .when({ type: 'Close' })
      .thenThrows(BankRuleViolation, 'balance of 5');
  });

  it('does not close an account with a transfer in progress', () => {
    account
      .given([opened, deposited(30), debited])
      .when({ type: 'Close' })
      .thenThrows(BankRuleViolation, 'transfers in progress (t1)');
  });

  it('closing a closed account changes nothing, but depositing to it is refused', () => {
    const closed: AccountEvent = { type: 'Closed', data: {} };
    account.given([opened, closed]).when({ type: 'Close' }).thenNothingHappens();
    account
      .given([opened, closed])
      .when({ type: 'Deposit', transactionId: 'd9', amount: 5 })
      .thenThrows(BankRuleViolation, 'closed');
  });

  it('reserves transfer funds under the same overdraft rule as withdrawals', () => {
    account
      .given([opened])
      .when({ type: 'DebitForTransfer', transferId: 't1', amount: 30, toAccountId: '7' })
      .then([debited]);
    account
      .given([opened])
      .when({ type: 'DebitForTransfer', transferId: 't1', amount: 101, toAccountId: '7' })
      .thenThrows(BankRuleViolation, 'cannot pay 101');
  });

  it('repeats no transfer step: a second debit, credit, settlement or reversal changes nothing', () => {
    account
      .given([opened, debited])
      .when({ type: 'DebitForTransfer', transferId: 't1', amount: 30, toAccountId: '7' })
      .thenNothingHappens();
    const credited: AccountEvent = {
      type: 'TransferCredited',
      data: { transferId: 't2', amount: 5, fromAccountId: '9' },
    };
    account
      .given([opened, credited])
      .when({ type: 'CreditForTransfer', transferId: 't2', amount: 5, fromAccountId: '9' })
      .thenNothingHappens();
    const settled: AccountEvent = { type: 'TransferSettled', data: { transferId: 't1', amount: 30, toAccountId: '7' } };
    account.given([opened, debited]).when({ type: 'SettleTransfer', transferId: 't1' }).then([settled]);
    account.given([opened, debited, settled]).when({ type: 'SettleTransfer', transferId: 't1' }).thenNothingHappens();
    account
      .given([opened, debited, settled])
      .when({ type: 'ReverseTransferDebit', transferId: 't1', reason: 'late' })
      .thenNothingHappens();
  });

  it('gives reserved funds back when a transfer is reversed', () => {
    account
      .given([opened, deposited(30), debited])
      .when({ type: 'ReverseTransferDebit', transferId: 't1', reason: 'target closed' })
      .then([{ type: 'TransferDebitReversed', data: { transferId: 't1', amount: 30, reason: 'target closed' } }]);
    account
      .given([
        opened,
        deposited(30),
        debited,
        { type: 'TransferDebitReversed', data: { transferId: 't1', amount: 30, reason: 'target closed' } },
      ])
      .when({ type: 'Close' })
      .thenThrows(BankRuleViolation, 'balance of 30');
  });

  it('a transfer step retried after the account was closed is still a no-op, not an error', () => {
    const credited: AccountEvent = {
      type: 'TransferCredited',
      data: { transferId: 't2', amount: 5, fromAccountId: '9' },
    };
    const withdrawn: AccountEvent = { type: 'Withdrawn', data: { transactionId: 'w', amount: 5 } };
    account
      .given([opened, credited, withdrawn, { type: 'Closed', data: {} }])
      .when({ type: 'CreditForTransfer', transferId: 't2', amount: 5, fromAccountId: '9' })
      .thenNothingHappens();
  });

  it('remembers a bounded number of transaction ids, most recent last', () => {
    const deposits = Array.from({ length: rememberedTransactionIds + 5 }, (_, n) => deposited(1, `d${n}`));
    const decider = accountDecider('42');
    const state = [opened, ...deposits].reduce(decider.evolve, decider.initial);
    if (state.status === 'unopened') throw new Error('expected an open account');
    expect(state.recentTransactionIds).toHaveLength(rememberedTransactionIds);
    expect(state.recentTransactionIds.at(-1)).toBe(`d${rememberedTransactionIds + 4}`);
    expect(state.balance).toBe(rememberedTransactionIds + 5);
    expect(transferStepId('t', 'debit')).toBe('transfer:t:debit');
  });
});
