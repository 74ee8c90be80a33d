/**
 * A command the bank refuses. `kind` tells hosts how to answer: `notFound` (the account or transfer does not exist)
 * or `conflict` (a business rule forbids it in the current state). Deciders throw these; nothing is written.
 */
export class BankRuleViolation extends Error {
  constructor(
    readonly code: string,
    readonly kind: 'notFound' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'BankRuleViolation';
  }
}

export const BankRuleViolations = {
  accountNotFound: (accountId: string) =>
    new BankRuleViolation('AccountNotFound', 'notFound', `Account ${accountId} has not been opened.`),
  accountClosed: (accountId: string) =>
    new BankRuleViolation(
      'AccountClosed',
      'conflict',
      `Account ${accountId} is closed; it takes no more transactions.`,
    ),
  alreadyOpened: (accountId: string) =>
    new BankRuleViolation(
      'AccountAlreadyOpened',
      'conflict',
      `Account ${accountId} is already open with a different owner or overdraft limit.`,
    ),
  insufficientFunds: (accountId: string, amount: number, available: number) =>
    new BankRuleViolation(
      'InsufficientFunds',
      'conflict',
      `Account ${accountId} cannot pay ${amount}: only ${available} is available including the overdraft limit.`,
    ),
  balanceNotZero: (accountId: string, balance: number) =>
    new BankRuleViolation(
      'BalanceNotZero',
      'conflict',
      `Account ${accountId} has a balance of ${balance}; only an account with a zero balance can be closed.`,
    ),
  transferPending: (accountId: string, transferIds: readonly string[]) =>
    new BankRuleViolation(
      'TransferPending',
      'conflict',
      `Account ${accountId} has transfers in progress (${transferIds.join(', ')}); close it once they finish.`,
    ),
  transferNotFound: (transferId: string) =>
    new BankRuleViolation('TransferNotFound', 'notFound', `Transfer ${transferId} has not been requested.`),
  transferIdReused: (transferId: string) =>
    new BankRuleViolation(
      'TransferIdReused',
      'conflict',
      `Transfer ${transferId} was already requested with different accounts or amount; use a new transfer id.`,
    ),
};
