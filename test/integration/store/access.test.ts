import { deflateRawSync } from 'node:zlib';
import type { Container } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCosmos } from '../../../src/emulator/index.ts';
import {
  AccessStrategy,
  type CosmosStore,
  createCosmosStore,
  type AccessStrategy as Strategy,
  type TipDocument,
} from '../../../src/store/index.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { codec, type Event, freshEvents, ledger, type State, snapshot } from './ledger.ts';

const cosmos = useTestCosmos();
let store: CosmosStore;
let container: Container;

beforeAll(async () => {
  const fresh = await freshEvents(cosmos);
  container = fresh.container;
  store = createCosmosStore({ client: cosmos.client, databaseId: fresh.databaseId, tip: { maxEvents: 2 } });
});
const deposit = (amount: number) => (state: State) => ledger.decide({ type: 'Deposit', amount }, state);
const readTip = async (stream: string) => (await container.item('-1', stream).read<TipDocument>()).resource;

/** Writes 7 deposits (1..7) with `access`, then loads with a cold category and returns state and read cost. */
async function writeThenLoad(id: string, access: Strategy<Event, State>, test: { skip(note?: string): void }) {
  const writer = store.category({ name: 'Access', codec, fold: ledger, access });
  for (let amount = 1; amount <= 7; amount++) await writer.transact(id, deposit(amount));
  const local: LocalCosmos = requireLocal(cosmos, test);
  local.resetMetrics();
  const loaded = await store.category({ name: 'Access', codec, fold: ledger, access, cache: false }).load(id);
  return { loaded, requests: local.metrics().total.requests };
}

describe('access strategies', () => {
  it('Unoptimized folds every event, reading the calved batches backwards', async ({ skip }) => {
    const { loaded, requests } = await writeThenLoad('unopt', AccessStrategy.Unoptimized(), { skip });
    expect(loaded.state.balance).toBe(28);
    expect(loaded.version).toBe(7n);
    expect(requests).toBeGreaterThan(1);
    expect((await readTip('Access-unopt'))?.u).toEqual([]);
  });

  it('Snapshot keeps a compressed snapshot unfold and loads with one read', async ({ skip }) => {
    const { loaded, requests } = await writeThenLoad('snap', snapshot, { skip });
    expect(loaded.state).toEqual({ owner: null, balance: 28, entries: 7 });
    expect(requests).toBe(1);
    const tip = await readTip('Access-snap');
    expect(tip?.u).toHaveLength(1);
    expect(tip?.u[0]).toMatchObject({ c: 'Snapshotted', i: 7 });
  });

  it('LatestKnownEvent loads the latest event alone with one read', async ({ skip }) => {
    const latest = AccessStrategy.LatestKnownEvent<Event, State>();
    const { loaded, requests } = await writeThenLoad('latest', latest, { skip });
    expect(loaded.state.balance).toBe(7);
    expect(requests).toBe(1);
  });

  it('MultiSnapshot folds from its origin unfold and the unfolds after it', async ({ skip }) => {
    const multi = AccessStrategy.MultiSnapshot<Event, State>(
      (event) => event.type === 'Snapshotted',
      (state) => [
        { type: 'Snapshotted', data: { ...state, entries: 0 } },
        ...Array.from({ length: state.entries }, () => ({ type: 'Noted' as const, data: { text: 'entry' } })),
      ],
    );
    const { loaded, requests } = await writeThenLoad('multi', multi, { skip });
    expect(loaded.state).toEqual({ owner: null, balance: 28, entries: 7 });
    expect(requests).toBe(1);
  });

  it('RollingState keeps only the state in the tip and stores no events', async ({ skip }) => {
    const rolling = AccessStrategy.RollingState<Event, State>((state) => ({ type: 'Snapshotted', data: state }));
    const { loaded, requests } = await writeThenLoad('rolling', rolling, { skip });
    expect(loaded.state.balance).toBe(28);
    expect(loaded.version).toBe(0n);
    expect(requests).toBe(1);
    expect(await store.readStream('Access-rolling')).toEqual([]);
  });

  it('Custom decides which events are stored and which unfolds are kept', async ({ skip }) => {
    const custom = AccessStrategy.Custom<Event, State>(
      (event) => event.type === 'Snapshotted',
      (events, state) => ({
        events: events.filter((event) => event.type !== 'Noted'),
        unfolds: state.balance > 10 ? [{ type: 'Snapshotted', data: state }] : [],
      }),
    );
    const { loaded } = await writeThenLoad('custom', custom, { skip });
    expect(loaded.state.balance).toBe(28);
    expect((await readTip('Access-custom'))?.u.map((u) => u.c)).toEqual(['Snapshotted']);
  });

  it('deflates unfolds by default (D: 1) and stores them as plain JSON when compression is off', async () => {
    const owner = 'Ada Lovelace '.repeat(20);
    const open = (state: State) => ledger.decide({ type: 'Open', owner }, state);
    const plain = createCosmosStore({
      client: cosmos.client,
      databaseId: container.database.id,
      compressUnfolds: false,
    });
    await plain.category({ name: 'Access', codec, fold: ledger, access: snapshot }).transact('plain', open);
    await store.category({ name: 'Access', codec, fold: ledger, access: snapshot }).transact('deflated', open);

    const plainTip = await readTip('Access-plain');
    expect(plainTip?.u[0]?.D).toBeUndefined();
    expect(plainTip?.u[0]?.d).toMatchObject({ owner });
    const deflatedTip = await readTip('Access-deflated');
    expect(deflatedTip?.u[0]?.D).toBe(1);
    expect(typeof deflatedTip?.u[0]?.d).toBe('string');
    const reader = store.category({ name: 'Access', codec, fold: ledger, access: snapshot, cache: false });
    expect(await reader.query('deflated', (state) => state.owner)).toBe(owner);
  });

  it('loads a snapshot written by Equinox before the D flag (a deflated base64 string without D) with one read', async ({
    skip,
  }) => {
    // the snapshot unfold reflects all 4 events (Equinox writes an unfold at `n`)
    const snapshotted = { owner: 'Grace', balance: 42, entries: 4 };
    const legacy = deflateRawSync(Buffer.from(JSON.stringify(snapshotted))).toString('base64');
    const at = new Date().toISOString();
    await container.items.create({
      id: '-1',
      p: 'Access-equinox',
      i: 3,
      n: 4,
      e: [{ t: at, c: 'Deposited', d: { amount: 2 } }],
      u: [{ i: 4, t: at, c: 'Snapshotted', d: legacy }],
    });
    const local = requireLocal(cosmos, { skip });
    local.resetMetrics();
    const reader = store.category({ name: 'Access', codec, fold: ledger, access: snapshot, cache: false });
    expect((await reader.load('equinox')).state).toEqual({ owner: 'Grace', balance: 42, entries: 4 });
    expect(local.metrics().total.requests).toBe(1);
  });
});
