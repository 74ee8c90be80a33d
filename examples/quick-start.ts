import { AccessStrategy, createCosmosStore, defineCodec, defineDecider, type EventOf } from 'tributary-cosmos';
import { DeciderSpecification, startTestCosmos } from 'tributary-cosmos/testing';
import { z } from 'zod';

// 1. Events: one zod schema per type. The event union is inferred from the schemas.
const codec = defineCodec({
  Opened: z.object({ owner: z.string() }),
  Deposited: z.object({ amount: z.number().int().positive() }),
  Withdrawn: z.object({ amount: z.number().int().positive() }),
  Snapshotted: z.object({ owner: z.string().nullable(), balance: z.number() }),
});
type Event = EventOf<typeof codec>; // { type: 'Opened'; data: { owner: string } } | …
type State = { owner: string | null; balance: number };
type Command = { type: 'Deposit'; amount: number } | { type: 'Withdraw'; amount: number };

// 2. The decider: pure, no I/O.
const account = defineDecider<Command, Event, State>({
  initial: { owner: null, balance: 0 },
  evolve: (s, e) => {
    switch (e.type) {
      case 'Opened':
        return { ...s, owner: e.data.owner };
      case 'Deposited':
        return { ...s, balance: s.balance + e.data.amount };
      case 'Withdrawn':
        return { ...s, balance: s.balance - e.data.amount };
      case 'Snapshotted':
        return e.data;
    }
  },
  decide: (c, s) => {
    if (c.type === 'Deposit') return [{ type: 'Deposited', data: { amount: c.amount } }];
    if (s.balance < c.amount) throw new Error('insufficient funds');
    return [{ type: 'Withdrawn', data: { amount: c.amount } }];
  },
});

// 3. Specify it: given events, when a command, then events (any test runner).
DeciderSpecification.for(account)
  .given([{ type: 'Deposited', data: { amount: 10 } }])
  .when({ type: 'Withdraw', amount: 5 })
  .then([{ type: 'Withdrawn', data: { amount: 5 } }]);

// 4. The store and a category of streams, here on the local Cosmos DB server (in memory, a free port).
const cosmos = await startTestCosmos();
try {
  const store = createCosmosStore({ client: cosmos.client, databaseId: cosmos.databaseId });
  const accounts = store.category({
    name: 'Account',
    codec,
    fold: account,
    access: AccessStrategy.Snapshot<Event, State>(
      (e) => e.type === 'Snapshotted',
      (s) => ({ type: 'Snapshotted', data: s }),
    ),
  });
  await accounts.transact('42', (state) => account.decide({ type: 'Deposit', amount: 100 }, state));
  await accounts.transact('42', (state) => account.decide({ type: 'Withdraw', amount: 30 }, state));
  const balance = await accounts.query('42', (state) => state.balance);
  console.log(`Account-42 balance: ${balance}`); // Account-42 balance: 70
} finally {
  await cosmos.close();
}
