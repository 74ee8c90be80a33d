import { type Decider, defineDecider } from '../../../src/decider/index.ts';
import type { AccountCommand } from './commands.ts';
import { decideAccount } from './decide.ts';
import type { AccountEvent } from './events.ts';
import { type AccountState, evolveAccount, initialAccountState } from './state.ts';

export { AccountCommand } from './commands.ts';
export { availableFunds, decideAccount } from './decide.ts';
export { type AccountEvent, AccountEvents, Amount } from './events.ts';
export {
  type AccountState,
  evolveAccount,
  initialAccountState,
  type OpenedAccount,
  rememberedTransactionIds,
  transferStepId,
} from './state.ts';

/** Streams `Account-<id>`. */
export const accountCategory = 'Account';

/** The account decider for one account (its id goes into the messages of refused commands). */
export function accountDecider(accountId: string): Decider<AccountCommand, AccountEvent, AccountState> {
  return defineDecider({
    initial: initialAccountState,
    evolve: evolveAccount,
    decide: (command, state) => decideAccount(accountId, command, state),
  });
}
