import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec, type EventOf } from '../../../src/codec/index.ts';
import { DeciderSpecification, defineDecider } from '../../../src/decider/index.ts';
import { AccessStrategy, createCosmosStore, ensureContainers } from '../../../src/store/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';

// The example of the README's "Modelling a stream" section, kept here so that it runs.

const codec = defineCodec({
  Opened: z.object({ owner: z.string() }),
  Deposited: z.object({ amount: z.number().int().positive() }),
  Withdrawn: z.object({ amount: z.number().int().positive() }),
  Snapshotted: z.object({ owner: z.string().nullable(), balance: z.number() }),
});
type Event = EventOf<typeof codec>;
type State = { owner: string | null; balance: number };
type Command = { type: 'Deposit'; amount: number } | { type: 'Withdraw'; amount: number };

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

const cosmos = useTestCosmos();

describe("the README's example", () => {
  it('models, writes and reads an account stream', async () => {
    const client = cosmos.client;
    const databaseId = `readme-${Date.now()}`;
    await ensureContainers(client, { databaseId });
    const store = createCosmosStore({ client, databaseId });
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
    const balance = await accounts.query('42', (state) => state.balance);
    expect(balance).toBe(100);
  });

  it('tests the decider with given/when/then', () => {
    const spec = DeciderSpecification.for(account);
    spec
      .given([{ type: 'Deposited', data: { amount: 10 } }])
      .when({ type: 'Withdraw', amount: 5 })
      .then([{ type: 'Withdrawn', data: { amount: 5 } }]);
    spec.given([]).when({ type: 'Withdraw', amount: 5 }).thenThrows(Error, 'insufficient funds');
  });
});
