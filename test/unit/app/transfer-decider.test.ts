import { describe, expect, it } from 'vitest';
import type { AccountCommand, AccountState } from '../../../functions/domain/account/index.ts';
import { accountDecider } from '../../../functions/domain/account/index.ts';
import { BankRuleViolation } from '../../../functions/domain/errors.ts';
import {
  advanceTransfer,
  nextTransferStep,
  type TransferCommand,
  type TransferEvent,
  type TransferState,
  transferDecider,
} from '../../../functions/domain/transfer/index.ts';
import { DeciderSpecification } from '../../../src/decider/index.ts';

const transfer = DeciderSpecification.for(transferDecider('t1'));
const requested: TransferEvent = { type: 'Requested', data: { fromAccountId: 'a', toAccountId: 'b', amount: 25 } };
const request: TransferCommand = { type: 'Request', fromAccountId: 'a', toAccountId: 'b', amount: 25 };

describe('Transfer decider', () => {
  it('records a request once; the same request again changes nothing', () => {
    transfer.given([]).when(request).then([requested]);
    transfer.given([requested]).when(request).thenNothingHappens();
  });

  it('refuses a transfer id reused for a different transfer', () => {
    transfer
      .given([requested])
      .when({ ...request, amount: 26 })
      .thenThrows(BankRuleViolation, 'already requested');
  });

  it('records each step only from the step before it', () => {
    transfer
      .given([requested])
      .when({ type: 'RecordFundsReserved' })
      .then([{ type: 'FundsReserved', data: {} }]);
    transfer.given([requested]).when({ type: 'RecordCredited' }).thenNothingHappens();
    transfer
      .given([requested, { type: 'FundsReserved', data: {} }])
      .when({ type: 'RecordFundsReserved' })
      .thenNothingHappens();
  });

  it('a failure before the reservation ends the transfer; after it, compensation follows', () => {
    transfer
      .given([requested])
      .when({ type: 'RecordFailed', reason: 'no money' })
      .thenState({ status: 'failed', ...requested.data, failureReason: 'no money' });
    transfer
      .given([requested, { type: 'FundsReserved', data: {} }])
      .when({ type: 'RecordFailed', reason: 'target closed' })
      .then([{ type: 'Failed', data: { reason: 'target closed', stage: 'credit' } }]);
  });
});

/** Runs the transfer process against in-memory streams, through the real deciders. */
function inMemoryBank(accounts: Record<string, AccountCommand[]>) {
  const accountStates = new Map<string, AccountState>();
  const accountWrites: { accountId: string; type: string }[] = [];
  const commandAccount = async (accountId: string, command: AccountCommand) => {
    const decider = accountDecider(accountId);
    const state = accountStates.get(accountId) ?? decider.initial;
    const events = decider.decide(command, state);
    for (const event of events) accountWrites.push({ accountId, type: event.type });
    accountStates.set(accountId, events.reduce(decider.evolve, state));
  };
  let transferState: TransferState = { status: 'none' };
  const transferEvents: string[] = [];
  const recordOnTransfer = async (transferId: string, command: TransferCommand) => {
    const decider = transferDecider(transferId);
    const events = decider.decide(command, transferState);
    transferEvents.push(...events.map((event) => event.type));
    transferState = events.reduce(decider.evolve, transferState);
    return transferState;
  };
  return {
    async setUp() {
      for (const [id, commands] of Object.entries(accounts))
        for (const command of commands) await commandAccount(id, command);
      await recordOnTransfer('t1', request);
      accountWrites.length = 0;
      transferEvents.length = 0;
    },
    ports: { loadTransfer: async () => transferState, recordOnTransfer, commandAccount },
    balance: (id: string) => {
      const state = accountStates.get(id);
      return state && state.status !== 'unopened' ? state.balance : undefined;
    },
    accountWrites,
    transferEvents,
  };
}

const open: AccountCommand = { type: 'Open', owner: 'x', overdraftLimit: 0 };
const fund: AccountCommand = { type: 'Deposit', transactionId: 'seed', amount: 100 };

describe('Transfer process', () => {
  it('moves the money in fine-grained steps: reserve, credit, settle', async () => {
    const bank = inMemoryBank({ a: [open, fund], b: [open] });
    await bank.setUp();
    const state = await advanceTransfer('t1', bank.ports);
    expect(state.status).toBe('completed');
    expect(bank.transferEvents).toEqual(['FundsReserved', 'Credited', 'Completed']);
    expect(bank.accountWrites.map((write) => `${write.accountId}:${write.type}`)).toEqual([
      'a:TransferDebited',
      'b:TransferCredited',
      'a:TransferSettled',
    ]);
    expect([bank.balance('a'), bank.balance('b')]).toEqual([75, 25]);
  });

  it('fails without moving money when the source cannot pay', async () => {
    const bank = inMemoryBank({ a: [open], b: [open] });
    await bank.setUp();
    const state = await advanceTransfer('t1', bank.ports);
    expect(state).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('cannot pay 25') });
    expect(bank.accountWrites).toEqual([]);
  });

  it('gives the reserved funds back when the target refuses the credit', async () => {
    const bank = inMemoryBank({ a: [open, fund], b: [open, { type: 'Close' }] });
    await bank.setUp();
    const state = await advanceTransfer('t1', bank.ports);
    expect(state.status).toBe('compensated');
    expect(bank.transferEvents).toEqual(['FundsReserved', 'Failed', 'Compensated']);
    expect(bank.balance('a')).toBe(100);
  });

  it('re-running after a crash between the account write and the transfer write repeats nothing', async () => {
    const bank = inMemoryBank({ a: [open, fund], b: [open] });
    await bank.setUp();
    let crashes = 1;
    const crashingPorts = {
      ...bank.ports,
      recordOnTransfer: async (transferId: string, command: TransferCommand) => {
        if (command.type === 'RecordCredited' && crashes-- > 0) throw new Error('connection reset');
        return bank.ports.recordOnTransfer(transferId, command);
      },
    };
    await expect(advanceTransfer('t1', crashingPorts)).rejects.toThrow('connection reset');
    expect((await advanceTransfer('t1', crashingPorts)).status).toBe('completed');
    expect(bank.accountWrites.filter((write) => write.type === 'TransferCredited')).toHaveLength(1);
    expect([bank.balance('a'), bank.balance('b')]).toEqual([75, 25]);
  });

  it('a finished transfer has no next step', () => {
    expect(nextTransferStep('t1', { status: 'completed', fromAccountId: 'a', toAccountId: 'b', amount: 1 })).toBe(
      undefined,
    );
  });
});
