import { z } from 'zod';
import { defineCodec } from '../../src/codec/index.ts';
import type { Fold } from '../../src/decider/index.ts';
import { AccessStrategy, type Category, type CosmosStore } from '../../src/store/index.ts';
import {
  type AccountEvent,
  AccountEvents,
  type AccountState,
  accountCategory,
  evolveAccount,
  initialAccountState,
} from '../domain/account/index.ts';

const PendingTransfer = z.object({ amount: z.number().int(), toAccountId: z.string() });

const AccountStateSchema: z.ZodType<AccountState> = z.union([
  z.object({ status: z.literal('unopened') }),
  z.object({
    status: z.enum(['open', 'closed']),
    owner: z.string(),
    overdraftLimit: z.number().int(),
    balance: z.number().int(),
    pendingOutgoing: z.record(z.string(), PendingTransfer),
    recentTransactionIds: z.array(z.string()),
  }),
]);

/**
 * The account as the store keeps it (and as its snapshot stores it). Clients' expected versions are checked by the
 * store (`TransactOptions.expectedVersion`), against the stream's version, not kept in the state.
 */
export interface StoredAccount {
  readonly account: AccountState;
}

/** Accounts load with one point read: each append stores a `Snapshotted` unfold of the state in the tip. */
export const accountCodec = defineCodec({
  ...AccountEvents,
  // Snapshots written before the store checked expected versions also carry a `version`; it is ignored (stripped).
  Snapshotted: z.object({ account: AccountStateSchema }),
});

type StoredAccountEvent = AccountEvent | { readonly type: 'Snapshotted'; readonly data: StoredAccount };

const accountFold: Fold<StoredAccountEvent, StoredAccount> = {
  initial: { account: initialAccountState },
  evolve: (stored, event) =>
    event.type === 'Snapshotted' ? event.data : { account: evolveAccount(stored.account, event) },
};

export type AccountCategory = Category<StoredAccountEvent, StoredAccount>;

/**
 * Idempotency keys an account remembers with the outcome of their command (the `$commands` unfold); older keys are
 * still recognised by digest for a while and answered as expired rather than applied twice.
 */
export const defaultIdempotencyKeyWindow = 128;

export function accountCategoryIn(
  store: CosmosStore,
  options: { readonly idempotencyKeyWindow?: number } = {},
): AccountCategory {
  return store.category({
    name: accountCategory,
    maxCommandIds: options.idempotencyKeyWindow ?? defaultIdempotencyKeyWindow,
    codec: accountCodec,
    fold: accountFold,
    access: AccessStrategy.Snapshot<StoredAccountEvent, StoredAccount>(
      (event) => event.type === 'Snapshotted',
      (stored) => ({ type: 'Snapshotted', data: stored }),
    ),
  });
}
