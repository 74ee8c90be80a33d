import type { Projection } from '../../src/projections/index.ts';
import { CommandIdReused } from '../../src/store/index.ts';
import { decideAccount } from '../domain/account/index.ts';
import { BankRuleViolations } from '../domain/errors.ts';
import { decideTransfer } from '../domain/transfer/index.ts';
import type { BalanceView, StatementView } from '../domain/views.ts';
import type { BankService } from '../service.ts';
import type { AccountCategory } from './accounts.ts';
import { accountViewKey } from './projections.ts';
import type { TransferCategory } from './transfers.ts';

export interface BankServiceParts {
  readonly accounts: AccountCategory;
  readonly transfers: TransferCategory;
  readonly balance: Projection<BalanceView>;
  readonly statement: Projection<StatementView>;
}

/** The bank's commands and queries over the event store and the views. */
export function createBankService(parts: BankServiceParts): BankService {
  const { accounts, transfers, balance, statement } = parts;
  return {
    async commandAccount(accountId, command, options = {}) {
      const { expectedVersion, idempotency } = options;
      const { version } = await accounts.transact(
        accountId,
        (stored) => decideAccount(accountId, command, stored.account),
        {
          ...(expectedVersion === undefined ? {} : { expectedVersion }),
          ...(idempotency === undefined ? {} : { commandId: idempotency.key, fingerprint: idempotency.fingerprint }),
        },
      );
      return { version };
    },
    async requestTransfer(transferId, command, options = {}) {
      const { idempotency } = options;
      try {
        return await transfers.transact(transferId, (state) => decideTransfer(transferId, command, state), {
          correlationId: transferId,
          ...(idempotency === undefined ? {} : { commandId: idempotency.key, fingerprint: idempotency.fingerprint }),
        });
      } catch (error) {
        // The transfer id is the key: its reuse for another transfer is the domain's rule, answered as such.
        if (error instanceof CommandIdReused) throw BankRuleViolations.transferIdReused(transferId);
        throw error;
      }
    },
    async transfer(transferId) {
      const { state, version } = await transfers.load(transferId);
      return { state, version };
    },
    balance: (accountId) => balance.read(accountViewKey(accountId)),
    statement: (accountId) => statement.read(accountViewKey(accountId)),
  };
}
