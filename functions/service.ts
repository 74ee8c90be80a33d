import type { AccountCommand } from './domain/account/index.ts';
import type { TransferCommand, TransferState } from './domain/transfer/index.ts';
import type { BalanceView, StatementView } from './domain/views.ts';

/** Options of a command sent over HTTP. */
export interface CommandOptions {
  /** refuse the command with the store's `StaleExpectedVersion` unless the stream is at exactly this version */
  readonly expectedVersion?: bigint | undefined;
  /**
   * the client's idempotency key and the command's fingerprint: a retry answers the first outcome, the key reused for
   * another command is refused with the store's `CommandIdReused` (`CommandIdExpired` once it left the window)
   */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string } | undefined;
}

/** What the HTTP API needs from the bank: commands through the event store, queries on the views. */
export interface BankService {
  /** runs an account command; resolves with the account stream's version afterwards */
  commandAccount(accountId: string, command: AccountCommand, options?: CommandOptions): Promise<{ version: bigint }>;
  /** records a transfer request; the transfer reactor carries it out */
  requestTransfer(
    transferId: string,
    command: Extract<TransferCommand, { type: 'Request' }>,
    options?: Pick<CommandOptions, 'idempotency'>,
  ): Promise<{ version: bigint }>;
  transfer(transferId: string): Promise<{ state: TransferState; version: bigint }>;
  balance(accountId: string): Promise<BalanceView | undefined>;
  statement(accountId: string): Promise<StatementView | undefined>;
}
