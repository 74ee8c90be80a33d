import type { Container, Database } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChangeFeedProcessor } from '../../../src/feed/index.ts';
import { ContainerNames, ensureContainers } from '../../../src/store/index.ts';
import {
  cosmosDeadLetters,
  createStreamScheduler,
  DeadLetter,
  type StreamHandler,
} from '../../../src/streams/index.ts';
import { waitUntilFailed, waitUntilHandled } from '../../../src/testing/index.ts';
import { startTestCosmos, type TestCosmos } from '../../support/cosmos.ts';

let cosmos: TestCosmos;
let database: Database;
let events: Container;
let leases: Container;
let deadLetters: Container;

beforeAll(async () => {
  cosmos = await startTestCosmos();
  database = await cosmos.database('streams');
  await ensureContainers(cosmos.client, { databaseId: database.id });
  events = database.container(ContainerNames.events);
  leases = database.container(ContainerNames.leases);
  deadLetters = database.container(ContainerNames.deadLetters);
});

afterAll(async () => {
  await cosmos?.close();
});

/** Appends `count` events to a stream as a calved batch plus an empty tip, in one transactional batch (Equinox shape). */
async function append(stream: string, from: number, count: number) {
  const e = Array.from({ length: count }, (_, k) => ({
    t: new Date().toISOString(),
    c: 'Deposited',
    d: { amount: from + k },
  }));
  const n = from + count;
  await events.items.batch(
    [
      { operationType: 'Create', resourceBody: { id: String(from), p: stream, i: from, n, e } },
      { operationType: 'Upsert', resourceBody: { id: '-1', p: stream, i: n, n, e: [], u: [] } },
    ],
    stream,
  );
}

function processorFor(name: string, sink: ReturnType<typeof createStreamScheduler>) {
  return createChangeFeedProcessor({
    name,
    monitored: events,
    leases,
    sink,
    pollIntervalMs: 20,
    checkpointIntervalMs: 50,
    drainTimeoutMs: 200,
    leaseTimings: { acquireIntervalMs: 100, renewIntervalMs: 200, expiryMs: 2_000 },
    onError: () => {},
  });
}

/** A handler that throws for the streams in `broken`, and records what it handled. */
function handlerFor(broken: Set<string>) {
  const handled = new Map<string, number[]>();
  const handle: StreamHandler = async (span) => {
    if (broken.has(span.stream)) throw new Error(`the ${span.stream} view is corrupt`);
    handled.set(span.stream, [...(handled.get(span.stream) ?? []), ...span.events.map((event) => Number(event.index))]);
    return undefined;
  };
  return { handle, handledOf: (stream: string) => handled.get(stream) ?? [] };
}

function letterOf(processor: string, stream: string, events: DeadLetter['events']): DeadLetter {
  return {
    id: DeadLetter.id(processor, stream),
    stream,
    processor,
    error: { name: 'Error', message: 'boom' },
    reason: 'failed',
    events,
    malformed: [],
    attempts: 4,
    parkedAt: '2026-01-01T00:00:01.000Z',
  };
}

describe('dead letters in the dead-letters container', () => {
  it('stores, lists and removes a dead letter per processor and stream', async () => {
    const store = cosmosDeadLetters(deadLetters);
    const letter = letterOf('billing/v2', 'Account-7', [
      { index: 3, type: 'Deposited', data: { amount: 3 }, meta: null, timestamp: '2026-01-01T00:00:00.000Z' },
    ]);
    await store.put(letter);
    await store.put({ ...letter, id: DeadLetter.id('other', 'Account-7'), processor: 'other' });
    expect(await store.list('billing/v2')).toEqual([letter]);
    await store.remove('billing/v2', 'Account-7');
    await store.remove('billing/v2', 'Account-7');
    expect(await store.list('billing/v2')).toEqual([]);
    expect(await store.list('other')).toHaveLength(1);
  });
});

describe('a dead letter bigger than a Cosmos DB document', () => {
  it('is stored as a head and parts under 2 MB each, listed whole, and removed with every part', async () => {
    const store = cosmosDeadLetters(deadLetters);
    const text = 'x'.repeat(1_000);
    const letter = letterOf(
      'big',
      'Account-9',
      Array.from({ length: 4_000 }, (_, index) => ({
        index,
        type: 'Deposited',
        data: { index, text },
        meta: null,
        timestamp: '2026-01-01T00:00:00.000Z',
      })),
    );
    // about 4.3 MB: one document of it is refused by the server
    await expect(deadLetters.items.upsert({ ...letter })).rejects.toMatchObject({ code: 413 });

    await store.put(letter);
    const documents = async () =>
      (
        await deadLetters.items
          .query({ query: 'SELECT c.id FROM c WHERE c.processor = @p', parameters: [{ name: '@p', value: 'big' }] })
          .fetchAll()
      ).resources;
    expect((await documents()).length).toBeGreaterThanOrEqual(3);
    expect(await store.list('big')).toEqual([letter]);

    // it grows while parked, and stays whole
    const grown = { ...letter, events: [...letter.events, { ...letter.events[0]!, index: 4_000 }] };
    await store.put(grown);
    expect((await store.list('big'))[0]?.events).toHaveLength(4_001);

    await store.remove('big', 'Account-9');
    expect(await store.list('big')).toEqual([]);
    expect(await documents()).toEqual([]);
  });
});

describe('a processor with a stream scheduler', () => {
  it('parks a stream that keeps failing, moves on, and replays it in order once fixed', async () => {
    await append('Account-1', 0, 2);
    await append('Account-2', 0, 2);
    const broken = new Set(['Account-1']);
    const { handle, handledOf } = handlerFor(broken);
    const scheduler = createStreamScheduler({
      name: 'parking',
      handle,
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
      parking: { deadLetters, afterAttempts: 3 },
    });
    const processor = processorFor('parking', scheduler);
    await processor.start();
    try {
      expect(await waitUntilHandled(scheduler, 'Account-1', 2n)).toBe('parked');
      await waitUntilHandled(scheduler, 'Account-2', 2n);
      await append('Account-1', 2, 1);
      expect(await waitUntilHandled(scheduler, 'Account-1', 3n)).toBe('parked');
      const { resource } = await deadLetters
        .item(DeadLetter.id('parking', 'Account-1'), DeadLetter.id('parking', 'Account-1'))
        .read<DeadLetter>();
      expect(resource).toMatchObject({
        stream: 'Account-1',
        processor: 'parking',
        attempts: 3,
        error: { name: 'Error', message: 'the Account-1 view is corrupt' },
        events: [
          { index: 0, type: 'Deposited', data: { amount: 0 } },
          { index: 1, type: 'Deposited', data: { amount: 1 } },
          { index: 2, type: 'Deposited', data: { amount: 2 } },
        ],
      });
      expect(handledOf('Account-1')).toEqual([]);

      broken.clear();
      await scheduler.parked.replay('Account-1');
      expect(handledOf('Account-1')).toEqual([0, 1, 2]);
      expect(await scheduler.parked.list()).toEqual([]);
      await append('Account-1', 3, 1);
      await waitUntilHandled(scheduler, 'Account-1', 4n);
      expect(handledOf('Account-1')).toEqual([0, 1, 2, 3]);
    } finally {
      await processor.stop();
      scheduler.close();
    }
  });

  it('holds the checkpoint of a failing stream by default, so that its events are read again after a restart', async () => {
    await append('Order-1', 0, 2);
    await append('Order-2', 0, 1);
    const first = handlerFor(new Set(['Order-1']));
    const failing = createStreamScheduler({
      name: 'holding',
      handle: first.handle,
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
    });
    const one = processorFor('holding', failing);
    await one.start();
    await waitUntilHandled(failing, 'Order-2', 1n);
    await waitUntilFailed(failing, 'Order-1', 3);
    await one.stop();
    failing.close();

    const second = handlerFor(new Set());
    const recovered = createStreamScheduler({ name: 'holding', handle: second.handle });
    const two = processorFor('holding', recovered);
    await two.start();
    try {
      await waitUntilHandled(recovered, 'Order-1', 2n);
      expect(second.handledOf('Order-1')).toEqual([0, 1]);
    } finally {
      await two.stop();
      recovered.close();
    }
  });
});
