import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineCodec, type EventOf } from '../../../src/codec/index.ts';
import type { Category } from '../../../src/store/index.ts';

const codec = defineCodec({
  Deposited: z.object({ amount: z.number() }),
  Closed: z.object({ reason: z.string().optional() }),
});
type Event = EventOf<typeof codec>;

describe('inferred types of the public API', () => {
  it('infers the domain event union from the zod schemas', () => {
    expectTypeOf<Event>().toEqualTypeOf<
      | { readonly type: 'Deposited'; readonly data: { amount: number } }
      | { readonly type: 'Closed'; readonly data: { reason?: string | undefined } }
    >();
  });

  it("types a category's decisions and state by its codec and fold", () => {
    type Accounts = Category<Event, { balance: number }>;
    type Decide = Parameters<Accounts['transact']>[1];
    expectTypeOf<Parameters<Decide>[0]>().toEqualTypeOf<{ balance: number }>();
    expectTypeOf<ReturnType<Decide>>().toEqualTypeOf<readonly Event[]>();
    expectTypeOf<ReturnType<Accounts['query']>>().toEqualTypeOf<Promise<unknown>>();
  });
});
