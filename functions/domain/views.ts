import type { AccountEvent } from './account/events.ts';
import { type StatementEntry, statementEntryOf } from './statement.ts';

/** Where an event sits in its stream, for views that show it. */
export interface EventPosition {
  /** the event's version in its stream */
  readonly index: bigint;
  readonly timestamp: Date;
}

/** The account balance view: what `GET /api/accounts/{id}` answers. */
export interface BalanceView {
  readonly accountId: string;
  readonly owner: string;
  readonly status: 'open' | 'closed';
  /** minor units, including funds reserved by transfers in progress */
  readonly balance: number;
  readonly overdraftLimit: number;
  /** what can still be paid out: balance + overdraft limit */
  readonly available: number;
  /** sum of transfers debited and not yet settled or reversed */
  readonly reserved: number;
}

export function evolveBalanceView(
  accountId: string,
  view: BalanceView | undefined,
  event: AccountEvent,
): BalanceView | undefined {
  if (event.type === 'Opened') {
    const { owner, overdraftLimit } = event.data;
    return { accountId, owner, status: 'open', balance: 0, overdraftLimit, available: overdraftLimit, reserved: 0 };
  }
  if (view === undefined) return view;
  const move = (balanceDelta: number, reservedDelta: number): BalanceView => ({
    ...view,
    balance: view.balance + balanceDelta,
    available: view.available + balanceDelta,
    reserved: view.reserved + reservedDelta,
  });
  switch (event.type) {
    case 'Deposited':
    case 'TransferCredited':
      return move(event.data.amount, 0);
    case 'Withdrawn':
      return move(-event.data.amount, 0);
    case 'TransferDebited':
      return move(-event.data.amount, event.data.amount);
    case 'TransferSettled':
      return move(0, -event.data.amount);
    case 'TransferDebitReversed':
      return move(event.data.amount, -event.data.amount);
    case 'Closed':
      return { ...view, status: 'closed' };
  }
}

/** The most recent lines a statement view keeps: a view is one document, and documents stop at 2 MB. */
export const statementLinesKept = 200;

export interface StatementLine extends StatementEntry {
  /** the booked balance after this line (completed transactions only) */
  readonly balanceAfter: number;
  readonly bookedAt: string;
  /** the account stream version of the event that booked it */
  readonly version: number;
}

/** The account statement view: what `GET /api/accounts/{id}/statement` answers. Newest line last. */
export interface StatementView {
  readonly accountId: string;
  readonly bookedBalance: number;
  readonly lines: readonly StatementLine[];
}

export function evolveStatementView(
  accountId: string,
  view: StatementView | undefined,
  event: AccountEvent,
  position: EventPosition,
): StatementView | undefined {
  const current = view ?? (event.type === 'Opened' ? { accountId, bookedBalance: 0, lines: [] } : undefined);
  const entry = statementEntryOf(event);
  if (current === undefined || entry === undefined) return current;
  const bookedBalance = current.bookedBalance + entry.amount;
  const line: StatementLine = {
    ...entry,
    balanceAfter: bookedBalance,
    bookedAt: position.timestamp.toISOString(),
    version: Number(position.index),
  };
  return { ...current, bookedBalance, lines: [...current.lines, line].slice(-statementLinesKept) };
}
