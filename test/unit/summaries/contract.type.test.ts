import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { StreamName, TimelineEvent } from '../../../src/core/index.ts';
import { createProjection, type Projection } from '../../../src/projections/index.ts';
import {
  createEventSummaryReactor,
  createFileSummarySink,
  createSummaryReactor,
  defineSummaryContract,
  type EventDecoder,
  type ReceivedSummary,
  type SummaryContract,
} from '../../../src/summaries/index.ts';

describe('the public API’s inferred types', () => {
  it('carry a summary contract’s schema type into render and into what consumers receive', () => {
    const contract = defineSummaryContract({
      name: 'AccountSummary',
      version: 1,
      schema: z.object({ balance: z.number(), closed: z.boolean().default(false) }),
      topic: 'accounts',
    });
    expectTypeOf(contract).toEqualTypeOf<SummaryContract<{ balance: number; closed: boolean }>>();
    const category = { name: 'Account', load: async () => ({ state: { cents: 1 }, version: 1n }) };
    createSummaryReactor({
      contract,
      category,
      render: (state, stream, version) => {
        expectTypeOf(state).toEqualTypeOf<{ cents: number }>();
        expectTypeOf(stream).toEqualTypeOf<StreamName>();
        expectTypeOf(version).toEqualTypeOf<bigint>();
        return { balance: state.cents / 100, closed: false };
      },
      publisher: createFileSummarySink({ directory: '/tmp/never-written' }),
    });
    expectTypeOf<ReceivedSummary<{ balance: number }>['envelope']['version']>().toEqualTypeOf<bigint>();
  });

  it('carry the codec’s event type and the contract’s type into summarize', () => {
    const contract = defineSummaryContract({
      name: 'Booking',
      version: 1,
      schema: z.object({ amount: z.number() }),
      topic: 'bookings',
    });
    const codec = {} as EventDecoder<{ type: 'Deposited'; amount: number } | { type: 'Opened' }>;
    const publisher = createFileSummarySink({ directory: '/tmp/never-written' });
    createEventSummaryReactor({
      contract,
      category: 'Account',
      codec,
      publisher,
      summarize: (event, context) => {
        expectTypeOf(event).toEqualTypeOf<{ type: 'Deposited'; amount: number } | { type: 'Opened' }>();
        expectTypeOf(context.stream).toEqualTypeOf<StreamName>();
        expectTypeOf(context.version).toEqualTypeOf<bigint>();
        return event.type === 'Deposited' ? { amount: event.amount } : undefined;
      },
    });
    createEventSummaryReactor({
      contract,
      category: 'Account',
      publisher,
      summarize: (event) => {
        expectTypeOf(event).toEqualTypeOf<TimelineEvent>();
        return undefined;
      },
    });
    createEventSummaryReactor({
      contract,
      category: 'Account',
      publisher,
      // @ts-expect-error a summary must have the contract's shape
      summarize: () => ({ amount: 'ten' }),
    });
  });

  it('type a projection’s views by its apply function', () => {
    const projection = createProjection({
      name: 'Balances',
      version: 1,
      container: {} as never,
      apply: (view: { total: number } | undefined, events) => ({ total: (view?.total ?? 0) + events.length }),
    });
    expectTypeOf(projection).toEqualTypeOf<Projection<{ total: number }>>();
    expectTypeOf(projection.read).returns.resolves.toEqualTypeOf<{ total: number } | undefined>();
  });
});
