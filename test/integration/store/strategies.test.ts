import { beforeAll, describe, expect, it } from 'vitest';
import { AccessStrategy, LoadOption, type AccessStrategy as Strategy } from '../../../src/store/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { codec, type Event, ledger, type State, snapshot } from './ledger.ts';
import { type StoreUnderTest, storeFactories } from './stores.ts';

const cosmos = useTestCosmos();
const deposit = (amount: number) => (state: State) => ledger.decide({ type: 'Deposit', amount }, state);

describe.each(storeFactories(cosmos))('access strategies, load options and history ($name)', (factory) => {
  let store: StoreUnderTest;
  beforeAll(async () => {
    store = await factory.create({ tipMaxEvents: 2 });
  });
  const category = (access: Strategy<Event, State>, cache?: false) =>
    store.category({ name: 'Strategy', codec, fold: ledger, access, ...(cache === false ? { cache } : {}) });

  /** Writes 7 deposits (1..7) with `access`, then loads with a category that caches nothing. */
  async function writeThenLoad(id: string, access: Strategy<Event, State>) {
    const writer = category(access);
    for (let amount = 1; amount <= 7; amount++) await writer.transact(id, deposit(amount));
    return category(access, false).load(id);
  }

  it('Unoptimized and Snapshot fold to the same state', async () => {
    expect((await writeThenLoad('unopt', AccessStrategy.Unoptimized())).state).toEqual({
      owner: null,
      balance: 28,
      entries: 7,
    });
    const snapped = await writeThenLoad('snap', snapshot);
    expect(snapped.state).toEqual({ owner: null, balance: 28, entries: 7 });
    expect(snapped.version).toBe(7n);
  });

  it('LatestKnownEvent folds the latest event alone', async () => {
    const loaded = await writeThenLoad('latest', AccessStrategy.LatestKnownEvent<Event, State>());
    expect(loaded.state).toEqual({ owner: null, balance: 7, entries: 1 });
  });

  it('RollingState keeps the state and stores no events', async () => {
    const rolling = AccessStrategy.RollingState<Event, State>((state) => ({ type: 'Snapshotted', data: state }));
    const loaded = await writeThenLoad('rolling', rolling);
    expect(loaded.state.balance).toBe(28);
    expect(loaded.version).toBe(0n);
    expect(await store.readStream('Strategy-rolling')).toEqual([]);
  });

  it('loads the state as of a version or a time, and reads decoded events of a range', async () => {
    await writeThenLoad('history', snapshot);
    const reader = category(snapshot, false);
    const asOf = await reader.loadAsOf('history', { version: 3n });
    expect(asOf).toMatchObject({ state: { balance: 6, entries: 3 }, version: 3n, currentVersion: 7n });
    expect((await reader.loadAsOf('history', { time: new Date(Date.now() + 60_000) })).state.balance).toBe(28);
    const events = await reader.readEvents('history', { fromVersion: 2n, toVersion: 4n });
    expect(events.map(({ version, event }) => [version, event])).toEqual([
      [2n, { type: 'Deposited', data: { amount: 3 } }],
      [3n, { type: 'Deposited', data: { amount: 4 } }],
    ]);
  });

  it('answers from the cache only when the load option allows it', async () => {
    const here = store.category({ name: 'Strategy', codec, fold: ledger, cache: { maxEntries: 10 } });
    const elsewhere = store.category({ name: 'Strategy', codec, fold: ledger, cache: { maxEntries: 10 } });
    await here.transact('cached', deposit(1));
    await elsewhere.transact('cached', deposit(2));
    const balance = (load: LoadOption) => here.query('cached', (state) => state.balance, { load });
    expect(await balance(LoadOption.AnyCachedValue)).toBe(1);
    expect(await balance(LoadOption.MaxStale(60_000))).toBe(1);
    expect(await balance(LoadOption.RequireLoad)).toBe(3);
    expect((await here.load('unknown', { load: LoadOption.AssumeEmpty })).version).toBe(0n);
  });
});
