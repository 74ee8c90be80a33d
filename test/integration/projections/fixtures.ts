import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { defineCodec } from '../../../src/codec/index.ts';
import type { TimelineEvent } from '../../../src/core/index.ts';
import { ContainerNames, type CosmosStore, createCosmosStore, ensureContainers } from '../../../src/store/index.ts';
import type { TestCosmos } from '../../support/cosmos.ts';

/** A small bank account domain shared by the pipeline tests. */
export const accountCodec = defineCodec({
  Opened: z.object({ owner: z.string() }),
  Deposited: z.object({ amount: z.number().positive() }),
  Withdrawn: z.object({ amount: z.number().positive() }),
});
export type AccountEvent = ReturnType<typeof accountCodec.decode> & {};
export interface Account {
  readonly owner: string | undefined;
  readonly balance: number;
  readonly transactions: number;
}
export const accountFold = {
  initial: { owner: undefined, balance: 0, transactions: 0 } as Account,
  evolve(state: Account, event: AccountEvent): Account {
    switch (event.type) {
      case 'Opened':
        return { ...state, owner: event.data.owner };
      case 'Deposited':
        return { ...state, balance: state.balance + event.data.amount, transactions: state.transactions + 1 };
      case 'Withdrawn':
        return { ...state, balance: state.balance - event.data.amount, transactions: state.transactions + 1 };
    }
  },
};

/** Folds raw timeline events of an account (what a projection receives) into the account state. */
export function foldTimeline(state: Account, events: readonly TimelineEvent[], stream: string): Account {
  let next = state;
  for (const event of events) {
    const decoded = accountCodec.decode(event, stream);
    if (decoded) next = accountFold.evolve(next, decoded);
  }
  return next;
}

export interface PipelineEnvironment {
  readonly store: CosmosStore;
  readonly accounts: ReturnType<typeof accountsOf>;
  readonly events: Container;
  readonly leases: Container;
  readonly views: Container;
  readonly deadLetters: Container;
  readonly databaseId: string;
}

function accountsOf(store: CosmosStore) {
  return store.category({ name: 'Account', codec: accountCodec, fold: accountFold });
}

export async function pipelineEnvironment(cosmos: TestCosmos, name = 'pipeline'): Promise<PipelineEnvironment> {
  const database = await cosmos.database(name);
  await ensureContainers(cosmos.client, { databaseId: database.id });
  const store = createCosmosStore({ client: cosmos.client, databaseId: database.id });
  return {
    store,
    accounts: accountsOf(store),
    events: store.container,
    leases: database.container(ContainerNames.leases),
    views: database.container(ContainerNames.views),
    deadLetters: database.container(ContainerNames.deadLetters),
    databaseId: database.id,
  };
}

/** Processor settings that make tests quick: short lease cycles, fast polling, frequent checkpoints. */
export const fastProcessor = {
  leaseTimings: { acquireIntervalMs: 100, renewIntervalMs: 200, expiryMs: 1_500 },
  pollIntervalMs: 25,
  checkpointIntervalMs: 100,
  onError: () => {},
} as const;

export const fastScheduler = {
  retry: { initialDelayMs: 20, maxDelayMs: 200 },
  notYet: { delayMs: 20 },
} as const;

export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Appends `rounds` deposits (amounts 1..rounds) to each of `ids`, the first one opening the account. */
export async function depositRounds(
  env: PipelineEnvironment,
  ids: readonly string[],
  rounds: number,
  from = 1,
): Promise<void> {
  for (let round = from; round < from + rounds; round++) {
    await Promise.all(
      ids.map((id) =>
        env.accounts.transact(id, (state) => [
          ...(state.owner === undefined ? [{ type: 'Opened' as const, data: { owner: `owner-${id}` } }] : []),
          { type: 'Deposited' as const, data: { amount: round } },
        ]),
      ),
    );
  }
}
