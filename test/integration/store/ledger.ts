import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { defineCodec, type EventOf } from '../../../src/codec/index.ts';
import { defineDecider } from '../../../src/decider/index.ts';
import { AccessStrategy, ensureContainers } from '../../../src/store/index.ts';
import type { TestCosmos } from '../../support/cosmos.ts';

/** A small ledger stream used by the store's integration tests. */
export const schemas = {
  Opened: z.object({ owner: z.string() }),
  Deposited: z.object({ amount: z.number().int().positive() }),
  Withdrawn: z.object({ amount: z.number().int().positive() }),
  Noted: z.object({ text: z.string() }),
  Snapshotted: z.object({ owner: z.string().nullable(), balance: z.number(), entries: z.number() }),
};
export const codec = defineCodec(schemas);
export type Event = EventOf<typeof codec>;
export type State = { owner: string | null; balance: number; entries: number };

export type Command =
  | { type: 'Open'; owner: string }
  | { type: 'Deposit'; amount: number }
  | { type: 'Withdraw'; amount: number };

export class InsufficientFunds extends Error {}

export const ledger = defineDecider<Command, Event, State>({
  initial: { owner: null, balance: 0, entries: 0 },
  evolve: (state, event) => {
    switch (event.type) {
      case 'Opened':
        return { ...state, owner: event.data.owner, entries: state.entries + 1 };
      case 'Deposited':
        return { ...state, balance: state.balance + event.data.amount, entries: state.entries + 1 };
      case 'Withdrawn':
        return { ...state, balance: state.balance - event.data.amount, entries: state.entries + 1 };
      case 'Noted':
        return { ...state, entries: state.entries + 1 };
      case 'Snapshotted':
        return event.data;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'Open':
        return state.owner === null ? [{ type: 'Opened', data: { owner: command.owner } }] : [];
      case 'Deposit':
        return [{ type: 'Deposited', data: { amount: command.amount } }];
      case 'Withdraw':
        if (state.balance < command.amount) throw new InsufficientFunds(`balance ${state.balance} < ${command.amount}`);
        return [{ type: 'Withdrawn', data: { amount: command.amount } }];
    }
  },
});

export const snapshot = AccessStrategy.Snapshot<Event, State>(
  (event) => event.type === 'Snapshotted',
  (state) => ({ type: 'Snapshotted', data: state }),
);

/** A fresh database with Tributary's containers; returns the events container. */
export async function freshEvents(cosmos: TestCosmos): Promise<{ databaseId: string; container: Container }> {
  const database = await cosmos.database('store');
  await ensureContainers(cosmos.client, { databaseId: database.id });
  return { databaseId: database.id, container: database.container('events') };
}
