import { beforeAll, describe, expect, it } from 'vitest';
import { type CosmosStore, createCosmosStore, InvalidStoreOptions } from '../../../src/store/index.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { codec, freshEvents, ledger, type State } from './ledger.ts';

const cosmos = useTestCosmos();
let store: CosmosStore;
const length = 40;

beforeAll(async () => {
  const { databaseId } = await freshEvents(cosmos);
  // A small tip: 40 events become 11 documents (10 batches of 4 events and the tip), so small pages need many requests.
  store = createCosmosStore({ client: cosmos.client, databaseId, tip: { maxEvents: 3 } });
  const ledgers = store.category({ name: 'Paged', codec, fold: ledger });
  for (let amount = 1; amount <= length; amount++) {
    await ledgers.transact('long', (state: State) => ledger.decide({ type: 'Deposit', amount }, state));
  }
  for (const id of ['s1', 's2', 's3', 's4', 's5']) {
    await ledgers.transact(id, (state: State) => ledger.decide({ type: 'Open', owner: id }, state));
  }
});
const amounts = (events: { data: unknown }[]) => events.map((event) => (event.data as { amount: number }).amount);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Runs `read` and counts the query requests it made (the local emulator's metrics). */
async function queriesOf<T>(read: () => Promise<T>, test: { skip(note?: string): void }) {
  const local = requireLocal(cosmos, test);
  local.resetMetrics();
  const result = await read();
  return { result, queries: local.metrics().byOperation.query.requests };
}

describe('reading long streams a page at a time', () => {
  it('reads a stream that spans many pages completely and in order, one request per page', async ({ skip }) => {
    const paged = await queriesOf(() => store.readStream('Paged-long', { pageSize: 2 }), { skip });
    expect(amounts(paged.result)).toEqual(oneTo(length));
    expect(paged.result.map((event) => event.index)).toEqual(oneTo(length).map((n) => BigInt(n - 1)));
    expect(paged.queries).toBeGreaterThanOrEqual(6); // 11 documents, 2 per page

    const whole = await queriesOf(() => store.readStream('Paged-long'), { skip });
    expect(whole.result).toEqual(paged.result);
    expect(whole.queries).toBeLessThan(paged.queries);
  });

  it('pages backwards and within a version range', async () => {
    const backward = await store.readStream('Paged-long', { direction: 'backward', pageSize: 3 });
    expect(amounts(backward)).toEqual(oneTo(length).reverse());
    const middle = await store.readStream('Paged-long', { fromVersion: 7n, toVersion: 31n, pageSize: 1 });
    expect(amounts(middle)).toEqual(oneTo(31).slice(7));
  });

  it('streams events lazily: stopping early does not read the rest of the stream', async ({ skip }) => {
    const firstFive = await queriesOf(
      async () => {
        const events: bigint[] = [];
        for await (const event of store.streamEvents('Paged-long', { pageSize: 1 })) {
          events.push(event.index);
          if (events.length === 5) break;
        }
        return events;
      },
      { skip },
    );
    expect(firstFive.result).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(firstFive.queries).toBeLessThanOrEqual(3); // 5 events live in the first 2 documents
    const everything = await queriesOf(() => store.readStream('Paged-long', { pageSize: 1 }), { skip });
    expect(everything.queries).toBeGreaterThanOrEqual(11);
  });

  it('lists a category whose streams span several pages', async ({ skip }) => {
    const listed = await queriesOf(() => store.listStreams('Paged', { pageSize: 2 }), { skip });
    expect(listed.result).toEqual([
      { stream: 'Paged-long', version: BigInt(length) },
      ...['s1', 's2', 's3', 's4', 's5'].map((id) => ({ stream: `Paged-${id}`, version: 1n })),
    ]);
    expect(listed.queries).toBeGreaterThanOrEqual(3); // 6 tips, 2 per page
  });

  it('dumps every document of a long stream through small pages', async () => {
    const dump = await store.dumpStream('Paged-long', { pageSize: 3 });
    expect(dump.batches.map((batch) => [batch.i, batch.n])).toEqual(oneTo(10).map((n) => [4 * n - 4, 4 * n]));
    expect(dump.events).toHaveLength(length);
    expect(dump.version).toBe(BigInt(length));
  });

  it('refuses a page size that is not a positive integer', async () => {
    await expect(store.readStream('Paged-long', { pageSize: 0 })).rejects.toBeInstanceOf(InvalidStoreOptions);
    await expect(store.listStreams('Paged', { pageSize: 1.5 })).rejects.toBeInstanceOf(InvalidStoreOptions);
  });
});
