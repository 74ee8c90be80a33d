import { type HostedConsumerDefinition, hostedConsumer } from '../../src/dev/index.ts';
import { StatementLine } from './statement-lines.ts';

/** An account's statement as a downstream team keeps it: its lines in booking order and their sum. */
export interface LedgerAccount {
  readonly accountId: string;
  /** the sum of the lines' amounts, in minor units */
  readonly balance: number;
  readonly lines: readonly StatementLine[];
  /** the newest summary version (account stream version) taken in */
  readonly version: string;
}

/** A downstream reader of the bank's `statement-lines` topic: what another team's service would build from it. */
export interface StatementLedger {
  /** the consumer the dev host runs (group `statement-ledger`) */
  readonly consumer: HostedConsumerDefinition;
  /** the account's statement as received so far; undefined before its first line */
  account(accountId: string): LedgerAccount | undefined;
}

/**
 * Keeps every account's statement from its published lines, in memory. Lines of an account arrive in order (the
 * consumer keeps per-stream order); a line seen twice (at-least-once delivery) is recognized by its transaction id
 * and not booked again.
 */
export function createStatementLedger(): StatementLedger {
  const accounts = new Map<string, { balance: number; lines: StatementLine[]; version: bigint }>();
  return {
    consumer: hostedConsumer({
      name: 'statement-ledger',
      contract: StatementLine,
      async handle({ body, envelope }) {
        let account = accounts.get(body.accountId);
        if (account === undefined) {
          account = { balance: 0, lines: [], version: 0n };
          accounts.set(body.accountId, account);
        }
        if (account.lines.some((line) => line.transactionId === body.transactionId)) return;
        account.lines.push(body);
        account.balance += body.amount;
        account.version = envelope.version;
      },
    }),
    account(accountId) {
      const account = accounts.get(accountId);
      if (account === undefined) return undefined;
      return { accountId, balance: account.balance, lines: [...account.lines], version: account.version.toString() };
    },
  };
}
