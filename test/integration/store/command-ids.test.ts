import { beforeAll, describe, expect, it } from 'vitest';
import { CommandIdExpired, CommandIdReused, commandFingerprint } from '../../../src/store/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { codec, ledger, type State, snapshot } from './ledger.ts';
import { type StoreUnderTest, storeFactories } from './stores.ts';

const cosmos = useTestCosmos();
const deposit = (amount: number) => ({
  decide: (state: State) => ledger.decide({ type: 'Deposit', amount }, state),
  fingerprint: commandFingerprint('Deposit', { amount }),
});

describe.each(storeFactories(cosmos))('command ids with fingerprints ($name)', (factory) => {
  let store: StoreUnderTest;
  beforeAll(async () => {
    store = await factory.create();
  });
  const category = (options: { maxCommandIds?: number; maxExpiredCommandIds?: number } = {}) =>
    store.category({ name: 'Ledger', codec, fold: ledger, access: snapshot, cache: false, ...options });

  it('refuses an id reused for a different command and writes nothing; a true retry gets the first outcome', async () => {
    const first = deposit(100);
    const applied = await category().transact('k1', first.decide, { commandId: 'K1', fingerprint: first.fingerprint });
    await category().transact('k1', deposit(1).decide);

    const other = deposit(999_999);
    const reused = category().transact('k1', other.decide, { commandId: 'K1', fingerprint: other.fingerprint });
    await expect(reused).rejects.toThrow(CommandIdReused);
    await expect(reused).rejects.toThrow(/"K1" was already used on stream Ledger-k1 \(version 1\)/);

    const retry = await category().transact('k1', first.decide, { commandId: 'K1', fingerprint: first.fingerprint });
    expect(retry).toEqual({ version: applied.version, appended: 0, duplicate: true });
    expect(await store.readStream('Ledger-k1')).toHaveLength(2);
  });

  it('answers a retry of a command stored without a fingerprint (as before fingerprints were kept)', async () => {
    const first = deposit(5);
    await category().transact('k2', first.decide, { commandId: 'old' });
    const retry = await category().transact('k2', first.decide, { commandId: 'old', fingerprint: first.fingerprint });
    expect(retry.duplicate).toBe(true);
    expect(await store.readStream('Ledger-k2')).toHaveLength(1);
  });

  it('reports an id older than the window as expired instead of applying it twice, within the digests’ reach', async () => {
    const small = category({ maxCommandIds: 2, maxExpiredCommandIds: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) await small.transact('k3', deposit(1).decide, { commandId: id });
    for (const id of ['b', 'c', 'd']) {
      await expect(small.transact('k3', deposit(1).decide, { commandId: id })).rejects.toThrow(CommandIdExpired);
    }
    // beyond the digests' reach the stream cannot tell: 'a' is new to it
    expect((await small.transact('k3', deposit(1).decide, { commandId: 'a' })).duplicate).toBe(false);
    expect(await store.readStream('Ledger-k3')).toHaveLength(7);
  });
});
