import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptions } from '../../../src/core/index.ts';
import { ContainerNames, ensureContainers } from '../../../src/store/index.ts';
import {
  type ChangeFeedHandler,
  createInMemoryDeadLetters,
  type RunOptions,
  runHandler,
  SchedulerClosed,
  type StreamHandler,
  type StreamScheduler,
} from '../../../src/streams/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { startTestCosmos, type TestCosmos } from '../../support/cosmos.ts';

let cosmos: TestCosmos;
let events: Container;
let leases: Container;

beforeAll(async () => {
  cosmos = await startTestCosmos();
  const database = await cosmos.database('runner');
  await ensureContainers(cosmos.client, { databaseId: database.id });
  events = database.container(ContainerNames.events);
  leases = database.container(ContainerNames.leases);
});

afterAll(async () => {
  await cosmos?.close();
});

/** Appends `count` events to a stream as a calved batch plus an empty tip, in one transactional batch. */
async function append(stream: string, from: number, count: number) {
  const e = Array.from({ length: count }, (_, k) => ({ t: new Date().toISOString(), c: 'Noted', d: { n: from + k } }));
  const n = from + count;
  await events.items.batch(
    [
      { operationType: 'Create', resourceBody: { id: String(from), p: stream, i: from, n, e } },
      { operationType: 'Upsert', resourceBody: { id: '-1', p: stream, i: n, n, e: [], u: [] } },
    ],
    stream,
  );
}

function recording(processorName: string) {
  const handled = new Map<string, number[]>();
  const spanSizes = new Map<string, number[]>();
  const handle: StreamHandler = async (span) => {
    spanSizes.set(span.stream, [...(spanSizes.get(span.stream) ?? []), span.events.length]);
    handled.set(span.stream, [...(handled.get(span.stream) ?? []), ...span.events.map((event) => Number(event.index))]);
    return undefined;
  };
  const handler: ChangeFeedHandler = { name: processorName, processorName, handle };
  return {
    handler,
    spanSizesOf: (stream: string) => spanSizes.get(stream) ?? [],
    handledOf: (stream: string) => handled.get(stream) ?? [],
  };
}

const fast = { pollIntervalMs: 20, checkpointIntervalMs: 50, onError: () => {} };

describe('runHandler', () => {
  it('reads the events container under the processor name and hands every stream its events in order', async () => {
    await append('Invoice-1', 0, 3);
    await append('Invoice-1', 3, 2);
    const { handler, handledOf } = recording('invoices');
    const run = await runHandler(handler, { events, leases, processor: fast });
    try {
      await waitUntilHandled(run.scheduler, 'Invoice-1', 5);
      expect(handledOf('Invoice-1')).toEqual([0, 1, 2, 3, 4]);
      expect(run.processor.ownedLeases().length).toBeGreaterThan(0);
      expect(run.stats().processor.name).toBe('invoices');
      expect(run.stats().scheduler.name).toBe('invoices');
      expect(run.stats().scheduler.handled.events).toBe(5);
    } finally {
      await run.stop();
    }
  });

  it('hands `scheduler` settings such as maxEventsPerSpan to the scheduler', async () => {
    await append('Receipt-1', 0, 3);
    const { handler, spanSizesOf } = recording('receipts');
    const run = await runHandler(handler, { events, leases, processor: fast, scheduler: { maxEventsPerSpan: 1 } });
    try {
      await waitUntilHandled(run.scheduler, 'Receipt-1', 3);
      expect(spanSizesOf('Receipt-1')).toEqual([1, 1, 1]);
    } finally {
      await run.stop();
    }
  });

  it('counts the change-feed documents of every handled page', async () => {
    await append('Order-1', 0, 2);
    await append('Order-2', 0, 1);
    const { handler } = recording('orders');
    const run = await runHandler(handler, { events, leases, processor: { ...fast, startFrom: 'beginning' } });
    try {
      await waitUntilHandled(run.scheduler, 'Order-2', 1);
      await waitUntilHandled(run.scheduler, 'Order-1', 2);
      await expect.poll(() => run.stats().handledDocuments).toBeGreaterThanOrEqual(4);
    } finally {
      await run.stop();
    }
  });

  it('stop() stops the processor and closes the scheduler, and a second stop() waits for the first', async () => {
    const { handler } = recording('stopping');
    const run = await runHandler(handler, { events, leases, processor: fast });
    await Promise.all([run.stop(), run.stop()]);
    expect(run.processor.stats().state).toBe('stopped');
    await expect(run.scheduler.ingestSpans('0', [])).rejects.toBeInstanceOf(SchedulerClosed);
  });

  it('closes the scheduler when the processor fails to start', async () => {
    const { handler } = recording('never-started');
    let scheduler: StreamScheduler | undefined;
    const missing = events.database.container('no-such-container');
    await expect(
      runHandler(handler, {
        events,
        leases: missing,
        processor: { ...fast, leaseTimings: { acquireIntervalMs: 50 } },
        beforeReading: async (given) => {
          scheduler = given;
        },
      }),
    ).rejects.toThrow();
    await expect(scheduler?.ingestSpans('0', [])).rejects.toBeInstanceOf(SchedulerClosed);
  });

  it('refuses options outside its groups (flat scheduler settings) with InvalidOptions, before starting anything', async () => {
    const { handler } = recording('flat');
    const flat = { events, leases, maxConcurrentStreams: 8 } as unknown as RunOptions;
    const error = await runHandler(handler, flat).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidOptions);
    expect((error as InvalidOptions).message).toMatch(/runHandler.*maxConcurrentStreams/);
    const noLeases = { events } as unknown as RunOptions;
    await expect(runHandler(handler, noLeases)).rejects.toThrow(/runHandler: leases/);
  });

  it('parks with the given dead-letter store', async () => {
    await append('Broken-1', 0, 1);
    const deadLetters = createInMemoryDeadLetters();
    const handler: ChangeFeedHandler = {
      name: 'broken',
      processorName: 'broken',
      handle: async (span) => {
        if (span.stream === 'Broken-1') throw new Error('always');
        return undefined;
      },
    };
    const run = await runHandler(handler, {
      events,
      leases,
      processor: { ...fast, startFrom: 'beginning' },
      scheduler: { retry: { initialDelayMs: 1, maxDelayMs: 1 } },
      parking: { deadLetters, afterAttempts: 2 },
    });
    try {
      expect(await waitUntilHandled(run.scheduler, 'Broken-1', 1)).toBe('parked');
      expect((await deadLetters.list('broken')).map((letter) => letter.stream)).toEqual(['Broken-1']);
    } finally {
      await run.stop();
    }
  });
});
