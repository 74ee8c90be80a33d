import type { AccountCommand } from '../account/commands.ts';
import { BankRuleViolation } from '../errors.ts';
import type { TransferCommand } from './commands.ts';
import type { TransferState } from './state.ts';

/**
 * One step of the transfer process: a command on an account, then what to record on the transfer when the account
 * accepts it or refuses it (a refusal is a business outcome, recorded as `Failed`; it is not retried).
 */
export interface TransferStep {
  readonly name: 'reserve' | 'credit' | 'settle' | 'compensate';
  readonly accountId: string;
  readonly command: AccountCommand;
  readonly recordAccepted: TransferCommand;
  /** undefined: the account cannot refuse this step (settling or reversing its own reservation) */
  readonly recordRefused?: (reason: string) => TransferCommand;
}

/** The next step a transfer needs, or undefined when it is finished. Pure. */
export function nextTransferStep(transferId: string, state: TransferState): TransferStep | undefined {
  switch (state.status) {
    case 'requested':
      return {
        name: 'reserve',
        accountId: state.fromAccountId,
        command: { type: 'DebitForTransfer', transferId, amount: state.amount, toAccountId: state.toAccountId },
        recordAccepted: { type: 'RecordFundsReserved' },
        recordRefused: (reason) => ({ type: 'RecordFailed', reason }),
      };
    case 'reserved':
      return {
        name: 'credit',
        accountId: state.toAccountId,
        command: { type: 'CreditForTransfer', transferId, amount: state.amount, fromAccountId: state.fromAccountId },
        recordAccepted: { type: 'RecordCredited' },
        recordRefused: (reason) => ({ type: 'RecordFailed', reason }),
      };
    case 'credited':
      return {
        name: 'settle',
        accountId: state.fromAccountId,
        command: { type: 'SettleTransfer', transferId },
        recordAccepted: { type: 'RecordCompleted' },
      };
    case 'compensating':
      return {
        name: 'compensate',
        accountId: state.fromAccountId,
        command: { type: 'ReverseTransferDebit', transferId, reason: state.failureReason ?? 'transfer failed' },
        recordAccepted: { type: 'RecordCompensated' },
      };
    default:
      return undefined;
  }
}

/** What the process needs from the event store; the app wires it to the account and transfer categories. */
export interface TransferProcessPorts {
  loadTransfer(transferId: string): Promise<TransferState>;
  /** appends the command's events to the transfer and returns its new state */
  recordOnTransfer(transferId: string, command: TransferCommand): Promise<TransferState>;
  /** throws `BankRuleViolation` when the account refuses */
  commandAccount(accountId: string, command: AccountCommand): Promise<void>;
}

/**
 * Drives a transfer to its end, one step at a time. Every step is idempotent on both sides (the account remembers
 * the transfer step's id, the transfer records a step only from the state before it), so running this again after
 * a crash between the account write and the transfer write repeats nothing. Infrastructure errors propagate: the
 * reactor fails and its host retries.
 */
export async function advanceTransfer(transferId: string, ports: TransferProcessPorts): Promise<TransferState> {
  let state = await ports.loadTransfer(transferId);
  for (let step = nextTransferStep(transferId, state); step; step = nextTransferStep(transferId, state)) {
    const before = state.status;
    let record = step.recordAccepted;
    try {
      await ports.commandAccount(step.accountId, step.command);
    } catch (error) {
      if (!(error instanceof BankRuleViolation) || step.recordRefused === undefined) throw error;
      record = step.recordRefused(error.message);
    }
    state = await ports.recordOnTransfer(transferId, record);
    // Every recorded step moves the status on; standing still would mean spinning on the same step forever.
    if (state.status === before) throw new Error(`Transfer ${transferId} did not move on from "${before}".`);
  }
  return state;
}
