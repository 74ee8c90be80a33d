import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { StreamName } from '../../../src/core/index.ts';
import { createProjection, type Projection } from '../../../src/projections/index.ts';
import {
  createFileSummarySink,
  createSummaryReactor,
  defineSummaryContract,
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
