import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec } from '../../../src/codec/index.ts';
import {
  ContainerNames,
  type CosmosStore,
  createCosmosStore,
  ensureContainers,
  eventsIndexingPolicy,
} from '../../../src/store/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { codec, freshEvents, ledger, type State, schemas } from './ledger.ts';

const cosmos = useTestCosmos();
let store: CosmosStore;
let databaseId: string;

beforeAll(async () => {
  ({ databaseId } = await freshEvents(cosmos));
  store = createCosmosStore({ client: cosmos.client, databaseId, tip: { maxEvents: 3 } });
  const ledgers = store.category({ name: 'Reading', codec, fold: ledger });
  for (let amount = 1; amount <= 10; amount++) {
    await ledgers.transact('a', (state: State) => ledger.decide({ type: 'Deposit', amount }, state));
  }
  await ledgers.transact('b', (state: State) => ledger.decide({ type: 'Open', owner: 'bo' }, state));
  await store
    .category({ name: 'Other', codec, fold: ledger })
    .transact('c', () => [{ type: 'Noted', data: { text: '' } }]);
});
const amounts = (events: { data: unknown }[]) => events.map((event) => (event.data as { amount: number }).amount);

describe('reading streams', () => {
  it('reads all events of a stream in order across batches and tip', async () => {
    const events = await store.readStream('Reading-a');
    expect(events.map((event) => event.index)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
    expect(amounts(events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('reads a version range forwards and backwards', async () => {
    expect(amounts(await store.readStream('Reading-a', { fromVersion: 2n, toVersion: 6n }))).toEqual([3, 4, 5, 6]);
    const backwards = await store.readStream('Reading-a', { fromVersion: 5n, direction: 'backward' });
    expect(amounts(backwards)).toEqual([10, 9, 8, 7, 6]);
  });

  it('reads decoded events through a category', async () => {
    const events = await store.category({ name: 'Reading', codec, fold: ledger }).readEvents('a', { toVersion: 2n });
    expect(events.map((e) => [e.version, e.event])).toEqual([
      [0n, { type: 'Deposited', data: { amount: 1 } }],
      [1n, { type: 'Deposited', data: { amount: 2 } }],
    ]);
  });

  it('lists the streams of a category with their versions', async () => {
    expect(await store.listStreams('Reading')).toEqual([
      { stream: 'Reading-a', version: 10n },
      { stream: 'Reading-b', version: 1n },
    ]);
  });

  it('dumps a stream: tip, batches, events and unfolds', async () => {
    const dump = await store.dumpStream('Reading-a');
    expect(dump.version).toBe(10n);
    expect(dump.batches.map((batch) => [batch.id, batch.i, batch.n])).toEqual([
      ['0', 0, 4],
      ['4', 4, 8],
    ]);
    expect(dump.tip).toMatchObject({ id: '-1', i: 8, n: 10 });
    expect(dump.events).toHaveLength(10);
  });

  it('upcasts old event shapes when loading', async () => {
    const evolved = defineCodec({
      ...schemas,
      Deposited: z.object({ amount: z.number(), currency: z.string() }),
    }).upcast('Deposited', schemas.Deposited, (old) => ({ type: 'Deposited', data: { ...old, currency: 'EUR' } }));
    const events = await store
      .category({ name: 'Reading', codec: evolved, fold: { initial: 0, evolve: (n) => n + 1 } })
      .readEvents('a');
    expect(events[0]?.event).toEqual({ type: 'Deposited', data: { amount: 1, currency: 'EUR' } });
  });
});

describe('ensureContainers', () => {
  it('creates the containers with their partition keys and a lean index on events, and is repeatable', async () => {
    const id = `ensure-${Date.now()}`;
    await ensureContainers(cosmos.client, { databaseId: id });
    await ensureContainers(cosmos.client, { databaseId: id });
    const database = cosmos.client.database(id);
    const keys: Record<string, string | undefined> = {};
    for (const name of Object.values(ContainerNames)) {
      const { resource } = await database.container(name).read();
      keys[name] = resource?.partitionKey?.paths[0];
    }
    expect(keys).toEqual({ events: '/p', leases: '/id', views: '/id', 'dead-letters': '/id' });
    const { resource } = await database.container('events').read();
    expect(resource?.indexingPolicy?.excludedPaths).toEqual(
      expect.arrayContaining(eventsIndexingPolicy.excludedPaths ?? []),
    );
    await database.delete();
  });
});
