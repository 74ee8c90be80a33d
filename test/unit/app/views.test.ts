import { describe, expect, it } from 'vitest';
import type { AccountEvent } from '../../../functions/domain/account/index.ts';
import {
  type BalanceView,
  evolveBalanceView,
  evolveStatementView,
  type StatementView,
  statementLinesKept,
} from '../../../functions/domain/views.ts';

const opened: AccountEvent = { type: 'Opened', data: { owner: 'Ada', overdraftLimit: 100 } };
const at = (index: number) => ({ index: BigInt(index), timestamp: new Date(Date.UTC(2026, 10, 23, 10, 0, index)) });

function balanceAfter(events: AccountEvent[]): BalanceView | undefined {
  return events.reduce<BalanceView | undefined>((view, event) => evolveBalanceView('42', view, event), undefined);
}

function statementAfter(events: AccountEvent[]): StatementView | undefined {
  return events.reduce<StatementView | undefined>(
    (view, event, index) => evolveStatementView('42', view, event, at(index)),
    undefined,
  );
}

describe('the balance view', () => {
  it('counts reserved transfer funds out of the balance until they are settled or given back', () => {
    const debited: AccountEvent = { type: 'TransferDebited', data: { transferId: 't', amount: 30, toAccountId: '7' } };
    const deposited: AccountEvent = { type: 'Deposited', data: { transactionId: 'd', amount: 50 } };
    expect(balanceAfter([opened, deposited, debited])).toMatchObject({ balance: 20, reserved: 30, available: 120 });
    expect(
      balanceAfter([
        opened,
        deposited,
        debited,
        { type: 'TransferSettled', data: { transferId: 't', amount: 30, toAccountId: '7' } },
      ]),
    ).toMatchObject({ balance: 20, reserved: 0 });
    expect(
      balanceAfter([
        opened,
        deposited,
        debited,
        { type: 'TransferDebitReversed', data: { transferId: 't', amount: 30, reason: 'closed' } },
      ]),
    ).toMatchObject({ balance: 50, reserved: 0, available: 150 });
  });
});

describe('the statement view', () => {
  it('books completed transactions only, with the running booked balance and the event version', () => {
    const view = statementAfter([
      opened,
      { type: 'Deposited', data: { transactionId: 'd', amount: 50, description: 'salary' } },
      { type: 'TransferDebited', data: { transferId: 't', amount: 30, toAccountId: '7' } },
      { type: 'TransferSettled', data: { transferId: 't', amount: 30, toAccountId: '7' } },
      { type: 'TransferCredited', data: { transferId: 'u', amount: 5, fromAccountId: '8' } },
    ]);
    expect(view?.lines).toEqual([
      {
        transactionId: 'd',
        kind: 'deposit',
        amount: 50,
        description: 'salary',
        balanceAfter: 50,
        bookedAt: '2026-11-23T10:00:01.000Z',
        version: 1,
      },
      {
        transactionId: 'transfer:t',
        kind: 'transfer-out',
        amount: -30,
        counterpartyAccountId: '7',
        balanceAfter: 20,
        bookedAt: '2026-11-23T10:00:03.000Z',
        version: 3,
      },
      {
        transactionId: 'transfer:u',
        kind: 'transfer-in',
        amount: 5,
        counterpartyAccountId: '8',
        balanceAfter: 25,
        bookedAt: '2026-11-23T10:00:04.000Z',
        version: 4,
      },
    ]);
  });

  it('keeps the most recent lines only, so that the view stays one small document', () => {
    const deposits = Array.from(
      { length: statementLinesKept + 3 },
      (_, n): AccountEvent => ({
        type: 'Deposited',
        data: { transactionId: `d${n}`, amount: 1 },
      }),
    );
    const view = statementAfter([opened, ...deposits]);
    expect(view?.lines).toHaveLength(statementLinesKept);
    expect(view?.lines[0]?.transactionId).toBe('d3');
    expect(view?.bookedBalance).toBe(statementLinesKept + 3);
  });
});
