import { z } from 'zod';
import { defineCodec } from '../../src/codec/index.ts';

/** The events the bulk seeding writes (`Deposited { amount }`), as a codec and fold for the suites that load them. */
export const benchCodec = defineCodec({ Deposited: z.object({ amount: z.number() }) });

export const benchFold = {
  initial: { balance: 0, count: 0 },
  evolve: (state: { balance: number; count: number }, event: { data: { amount: number } }) => ({
    balance: state.balance + event.data.amount,
    count: state.count + 1,
  }),
};
