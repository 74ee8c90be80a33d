import { beforeAll, describe, expect, it } from 'vitest';
import { type Category, LoadOption, StaleExpectedVersion } from '../../../src/store/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { codec, type Event, ledger, type State } from './ledger.ts';
import { type StoreUnderTest, storeFactories } from './stores.ts';

const cosmos = useTestCosmos();

const deposit = (amount: number) => (state: State) => ledger.decide({ type: 'Deposit', amount }, state);

async function refusal(promise: Promise<unknown>): Promise<StaleExpectedVersion> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StaleExpectedVersion);
  return error as StaleExpectedVersion;
}

describe.each(storeFactories(cosmos))('transact with an expected version ($name)', (factory) => {
  let store: StoreUnderTest;
  beforeAll(async () => {
    store = await factory.create();
  });
  /** A category with a cache of its own, as another process would have. */
  const ledgers = (): Category<Event, State> =>
    store.category({ name: 'Expected', codec, fold: ledger, cache: { maxEntries: 100 } });

  async function streamAt(id: string, version: number): Promise<void> {
    const category = ledgers();
    for (let amount = 1; amount <= version; amount++) await category.transact(id, deposit(amount));
  }

  it('appends when the stream is at the expected version, including 0 for a new stream', async () => {
    const category = ledgers();
    expect((await category.transact('new', deposit(5), { expectedVersion: 0n })).version).toBe(1n);
    expect((await category.transact('new', deposit(6), { expectedVersion: 1n })).version).toBe(2n);
    expect((await category.load('new')).state.balance).toBe(11);
  });

  it('refuses a stream at another version without deciding, naming stream, expected and actual version', async () => {
    await streamAt('moved', 3);
    const category = ledgers();
    let decisions = 0;
    const error = await refusal(
      category.transact(
        'moved',
        (state) => {
          decisions += 1;
          return deposit(1)(state);
        },
        { expectedVersion: 2n },
      ),
    );
    expect(decisions).toBe(0);
    expect(error).toMatchObject({ code: 'StaleExpectedVersion', stream: 'Expected-moved', expectedVersion: 2n });
    expect(error.actualVersion).toBe(3n);
    expect(error.message).toContain('Expected-moved is at version 3, not the expected 2');
    expect((await store.readStream('Expected-moved')).length).toBe(3);
  });

  it('refuses a version ahead of the stream as well', async () => {
    await streamAt('behind', 1);
    const error = await refusal(
      ledgers().transactResult('behind', (s) => ['r', deposit(1)(s)], { expectedVersion: 4n }),
    );
    expect(error.actualVersion).toBe(1n);
  });

  it('does not refuse because of a stale cached state: it reads the stream before deciding it is stale', async () => {
    await streamAt('cached', 1);
    const here = ledgers();
    await here.load('cached'); // caches version 1
    await ledgers().transact('cached', deposit(2)); // another process moves the stream to version 2
    const outcome = await here.transact('cached', deposit(3), {
      expectedVersion: 2n,
      load: LoadOption.AnyCachedValue,
    });
    expect(outcome.version).toBe(3n);
    expect((await here.load('cached')).state.balance).toBe(1 + 2 + 3);
  });

  it('refuses without deciding again when a cached state matched but another writer appended first', async () => {
    await streamAt('raced', 2);
    const here = ledgers();
    await here.load('raced'); // caches version 2
    await ledgers().transact('raced', deposit(10)); // the stream moves to version 3
    let decisions = 0;
    const error = await refusal(
      here.transact(
        'raced',
        (state) => {
          decisions += 1;
          return deposit(1)(state);
        },
        { expectedVersion: 2n, load: LoadOption.AnyCachedValue },
      ),
    );
    expect(decisions).toBe(1); // the append's etag check caught the stale cache; the command was not re-decided
    expect(error.actualVersion).toBe(3n);
    expect((await store.readStream('Expected-raced')).length).toBe(3);
  });

  it('answers a repeated command id with its original outcome even though the version moved on', async () => {
    const category = ledgers();
    const first = await category.transact('repeat', deposit(7), { expectedVersion: 0n, commandId: 'cmd-1' });
    const again = await category.transact('repeat', deposit(7), { expectedVersion: 0n, commandId: 'cmd-1' });
    expect(again).toEqual({ version: first.version, appended: 0, duplicate: true });
  });

  it('lets exactly one of many concurrent callers with the same expected version win, across processes', async () => {
    await streamAt('contended', 2);
    const processes = Array.from({ length: 4 }, ledgers);
    const callers = Array.from({ length: 12 }, (_, caller) =>
      processes[caller % processes.length]!.transact('contended', deposit(100 + caller), { expectedVersion: 2n }),
    );
    const settled = await Promise.allSettled(callers);
    const won = settled.filter((result) => result.status === 'fulfilled');
    const lost = settled.filter((result) => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ value: { version: 3n, appended: 1 } });
    for (const result of lost) {
      expect(result.reason).toBeInstanceOf(StaleExpectedVersion);
      expect((result.reason as StaleExpectedVersion).actualVersion).toBe(3n);
    }
    expect((await store.readStream('Expected-contended')).map((event) => event.index)).toEqual([0n, 1n, 2n]);
  });

  it('lets exactly one concurrent caller win when one process does not queue its writes', async () => {
    await streamAt('unqueued', 1);
    const category = store.category({ name: 'Expected', codec, fold: ledger, queueWrites: false, cache: false });
    const settled = await Promise.allSettled(
      Array.from({ length: 6 }, (_, caller) =>
        category.transact('unqueued', deposit(1 + caller), { expectedVersion: 1n }),
      ),
    );
    expect(settled.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const reasons = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(reasons).toHaveLength(5);
    for (const reason of reasons) expect(reason).toBeInstanceOf(StaleExpectedVersion);
    expect((await store.readStream('Expected-unqueued')).length).toBe(2);
  });
});
