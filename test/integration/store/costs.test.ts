import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCosmos } from '../../../src/emulator/index.ts';
import { type CosmosStore, createCosmosStore, LoadOption } from '../../../src/store/index.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { codec, freshEvents, ledger, snapshot } from './ledger.ts';

const cosmos = useTestCosmos();
let store: CosmosStore;

beforeAll(async () => {
  const { databaseId } = await freshEvents(cosmos);
  store = createCosmosStore({ client: cosmos.client, databaseId, tip: { maxEvents: 3 } });
});
/** Runs `act` and returns what it cost the server (needs the in-process emulator's metrics). */
async function measure(test: { skip(note?: string): void }, act: () => Promise<unknown>) {
  const local: LocalCosmos = requireLocal(cosmos, test);
  local.resetMetrics();
  await act();
  return local.metrics();
}

const deposit = (amount: number) => (state: Parameters<typeof ledger.decide>[1]) =>
  ledger.decide({ type: 'Deposit', amount }, state);

describe('what each store operation costs', () => {
  it('appends with exactly one request when the state is cached', async ({ skip }) => {
    const accounts = store.category({ name: 'Costs', codec: codec, fold: ledger, access: snapshot });
    await accounts.transact('append', deposit(1));
    const cost = await measure({ skip }, () =>
      accounts.transact('append', deposit(2), { load: LoadOption.AnyCachedValue }),
    );
    expect(cost.total.requests).toBe(1);
    expect(cost.byOperation.batch.requests).toBe(1);
  });

  it('creates a new stream with one request when assuming it is empty', async ({ skip }) => {
    const accounts = store.category({ name: 'Costs', codec: codec, fold: ledger, access: snapshot });
    const cost = await measure({ skip }, () =>
      accounts.transact('fresh', deposit(1), { load: LoadOption.AssumeEmpty }),
    );
    expect(cost.total.requests).toBe(1);
    expect(await accounts.query('fresh', (s) => s.balance)).toBe(1);
  });

  it('loads a snapshotted stream with one point read, however many batches it has', async ({ skip }) => {
    const writer = store.category({ name: 'Costs', codec: codec, fold: ledger, access: snapshot });
    for (let i = 1; i <= 10; i++) await writer.transact('snap', deposit(i));
    const reader = store.category({ name: 'Costs', codec: codec, fold: ledger, access: snapshot, cache: false });
    let balance = 0;
    const cost = await measure({ skip }, async () => {
      balance = await reader.query('snap', (s) => s.balance);
    });
    expect(balance).toBe(55);
    expect(cost.total.requests).toBe(1);
    expect(cost.byOperation.read.requests).toBe(1);
    expect(cost.byOperation.read.documentsRead).toBe(1);
  });

  it('answers a cached load with one request that returns 304 and no document', async ({ skip }) => {
    const accounts = store.category({ name: 'Costs', codec: codec, fold: ledger, access: snapshot });
    await accounts.transact('cached', deposit(5));
    await accounts.load('cached');
    const cost = await measure({ skip }, () => accounts.load('cached'));
    expect(cost.total.requests).toBe(1);
    expect(cost.byOperation.read.requests).toBe(1);
    expect(cost.byOperation.read.documentsRead).toBe(0);
  });

  it('writes the tip and the calved batch in the same single request', async ({ skip }) => {
    const accounts = store.category({ name: 'Costs', codec: codec, fold: ledger, access: snapshot });
    await accounts.transact('calve', (s) => [...deposit(1)(s), ...deposit(2)(s), ...deposit(3)(s)]);
    const cost = await measure({ skip }, () =>
      accounts.transact('calve', deposit(4), { load: LoadOption.AnyCachedValue }),
    );
    expect(cost.total.requests).toBe(1);
    expect(cost.byOperation.batch.documentsWritten).toBe(2);
    const dump = await store.dumpStream('Costs-calve');
    expect(dump.batches.map((b) => [b.id, b.i, b.n])).toEqual([['0', 0, 4]]);
    expect(dump.tip).toMatchObject({ i: 4, n: 4, e: [] });
  });

  it('serves a load within max-stale from the cache without any request', async ({ skip }) => {
    const accounts = store.category({ name: 'Costs', codec: codec, fold: ledger });
    await accounts.transact('stale', deposit(5));
    const cost = await measure({ skip }, () => accounts.load('stale', { load: LoadOption.MaxStale(60_000) }));
    expect(cost.total.requests).toBe(0);
  });

  it("shares the store's cache between categories with the same fold", async ({ skip }) => {
    await store.category({ name: 'Costs', codec, fold: ledger }).transact('shared', deposit(5));
    const another = store.category({ name: 'Costs', codec, fold: ledger });
    const cost = await measure({ skip }, () => another.load('shared'));
    expect(cost.byOperation.read.requests).toBe(1);
    expect(cost.byOperation.read.documentsRead).toBe(0);
  });

  it('shares one read between concurrent loads of the same stream', async ({ skip }) => {
    await store.category({ name: 'Costs', codec: codec, fold: ledger }).transact('flight', deposit(5));
    const cold = store.category({ name: 'Costs', codec: codec, fold: ledger });
    const cost = await measure({ skip }, () => Promise.all(Array.from({ length: 10 }, () => cold.load('flight'))));
    expect(cost.byOperation.read.requests).toBe(1);
  });
});
