import { StreamName } from '../../src/core/index.ts';
import { createReactor, type Reactor } from '../../src/reactors/index.ts';
import { decideAccount } from '../domain/account/index.ts';
import {
  advanceTransfer,
  decideTransfer,
  evolveTransfer,
  type TransferProcessPorts,
  transferCategory,
} from '../domain/transfer/index.ts';
import type { AccountCategory } from './accounts.ts';
import type { TransferCategory } from './transfers.ts';

/** The event-store side of the transfer process: each step is one `transact` on one stream. */
export function transferProcessPorts(accounts: AccountCategory, transfers: TransferCategory): TransferProcessPorts {
  return {
    async loadTransfer(transferId) {
      return (await transfers.load(transferId)).state;
    },
    recordOnTransfer(transferId, command) {
      return transfers.transactResult(transferId, (state) => {
        const events = decideTransfer(transferId, command, state);
        return [events.reduce(evolveTransfer, state), events] as const;
      });
    },
    async commandAccount(accountId, command) {
      await accounts.transact(accountId, (stored) => decideAccount(accountId, command, stored.account), {
        correlationId: 'transferId' in command ? command.transferId : undefined,
      });
    },
  };
}

/**
 * Carries out requested transfers: on any new event of a `Transfer-<id>` stream it drives that transfer to its end
 * (reserve on the source, credit on the target, settle; or fail and compensate). One transaction cannot span two
 * streams, so every step is its own idempotent write; a re-run after a crash repeats none of them.
 */
export function transferReactor(accounts: AccountCategory, transfers: TransferCategory): Reactor {
  const ports = transferProcessPorts(accounts, transfers);
  return createReactor({
    name: 'transfer-process',
    categories: [transferCategory],
    async handle(stream) {
      await advanceTransfer(StreamName.id(stream), ports);
    },
  });
}
