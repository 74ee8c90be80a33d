import type { Container } from '@azure/cosmos';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { HostedProcessorDefinition } from '../../../src/dev/index.ts';
import { createProjection } from '../../../src/projections/index.ts';
import { createReactor } from '../../../src/reactors/index.ts';
import { type ChangeFeedHandler, type RunOptions, runHandler } from '../../../src/streams/index.ts';
import { createFileSummarySink, createSummaryReactor, defineSummaryContract } from '../../../src/summaries/index.ts';

const container = {} as Container;

describe('one handler type', () => {
  it('is what projections, reactors and summary reactors are, and what the runner and the dev host take', () => {
    const projection = createProjection({
      name: 'Balances',
      version: 1,
      container,
      apply: (view: { n: number } | undefined) => ({ n: (view?.n ?? 0) + 1 }),
    });
    const reactor = createReactor({ name: 'Welcome', handle: async () => undefined });
    const summaries = createSummaryReactor({
      contract: defineSummaryContract({ name: 'A', version: 1, schema: z.object({}), topic: 'a' }),
      category: { name: 'Account', load: async () => ({ state: {}, version: 1n }) },
      render: () => ({}),
      publisher: createFileSummarySink({ directory: '/tmp/never-written' }),
    });
    expectTypeOf(projection).toExtend<ChangeFeedHandler>();
    expectTypeOf(reactor).toEqualTypeOf<ChangeFeedHandler>();
    expectTypeOf(summaries).toEqualTypeOf<ChangeFeedHandler>();
    expectTypeOf(runHandler).parameter(0).toEqualTypeOf<ChangeFeedHandler>();
    expectTypeOf({ ...reactor, kind: 'reactor' }).toExtend<HostedProcessorDefinition>();
  });

  it('is run with its settings grouped by part, never flat', () => {
    const options: RunOptions = { events: container, leases: container, scheduler: { maxConcurrentStreams: 8 } };
    expectTypeOf(options.processor).toExtend<object | undefined>();
    // @ts-expect-error a scheduler setting belongs in `scheduler`
    const flat: RunOptions = { events: container, leases: container, maxConcurrentStreams: 8 };
    expectTypeOf(flat).toEqualTypeOf<RunOptions>();
  });
});
