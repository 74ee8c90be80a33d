import { setTimeout as delay } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { VersionBeyondStream } from '../../../src/store/as-of.ts';
import {
  AccessStrategy,
  type BatchDocument,
  type CosmosStore,
  createCosmosStore,
  MissingEvents,
} from '../../../src/store/index.ts';
import type { PrunedHistory } from '../../../src/store/pruned-history.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { codec, type Event, freshEvents, ledger, type State, snapshot } from './ledger.ts';

const cosmos = useTestCosmos();
let store: CosmosStore;

beforeAll(async () => {
  const fresh = await freshEvents(cosmos);
  // two events per tip: seven deposits leave three calved batches behind the tip
  store = createCosmosStore({ client: cosmos.client, databaseId: fresh.databaseId, tip: { maxEvents: 2 } });
});

const deposit = (amount: number) => (state: State) => ledger.decide({ type: 'Deposit', amount }, state);
const balanceAfter = (version: number) => (version * (version + 1)) / 2;

describe('loading a stream as of a version or a time', () => {
  it('gives the state after every version of an unoptimized stream, folded from the start', async () => {
    const accounts = store.category({ name: 'AsOf', codec, fold: ledger });
    for (let amount = 1; amount <= 7; amount++) await accounts.transact('plain', deposit(amount));
    for (let version = 0; version <= 7; version++) {
      const loaded = await accounts.loadAsOf('plain', { version: BigInt(version) });
      expect(loaded.state.balance).toBe(balanceAfter(version));
      expect(loaded.version).toBe(BigInt(version));
      expect(loaded.currentVersion).toBe(7n);
      expect(loaded.lastEvent?.index).toBe(version === 0 ? undefined : BigInt(version - 1));
      expect(loaded.origin).toEqual({ kind: 'start' });
      expect(loaded.eventsFolded).toBe(version);
    }
  });

  it('counts the requests it made: the tip, then its query of older batches (plan and page)', async ({ skip }) => {
    const local = requireLocal(cosmos, { skip });
    const accounts = store.category({ name: 'AsOf', codec, fold: ledger });
    local.resetMetrics();
    const early = await accounts.loadAsOf('plain', { version: 1n });
    expect(early.requests).toBe(local.metrics().total.requests);
    expect(early.requests).toBe(3);
    local.resetMetrics();
    const head = await accounts.loadAsOf('plain', { version: 7n });
    expect(head.requests).toBe(local.metrics().total.requests);
  });

  it('folds from the tip snapshot alone at the current version, and from the start before it', async () => {
    const accounts = store.category({ name: 'AsOf', codec, fold: ledger, access: snapshot });
    for (let amount = 1; amount <= 7; amount++) await accounts.transact('snap', deposit(amount));
    const head = await accounts.loadAsOf('snap', { version: 7n });
    expect(head).toMatchObject({ version: 7n, requests: 1, eventsFolded: 0 });
    expect(head.origin).toEqual({ kind: 'snapshot', version: 7n, type: 'Snapshotted' });
    expect(head.state).toEqual({ owner: null, balance: 28, entries: 7 });
    const earlier = await accounts.loadAsOf('snap', { version: 5n });
    expect(earlier.state.balance).toBe(15);
    expect(earlier.origin).toEqual({ kind: 'start' });
  });

  it('starts from the nearest origin event at or before the version, not reading further back', async () => {
    const isOrigin = (event: Event) => event.type === 'Snapshotted';
    const custom = AccessStrategy.Custom<Event, State>(isOrigin, (events) => ({ events, unfolds: [] }));
    const accounts = store.category({ name: 'AsOf', codec, fold: ledger, access: custom });
    // 40 deposits fill more batches than a page of ten holds, then an origin event and two deposits
    for (let amount = 1; amount <= 40; amount++) await accounts.transact('origin', deposit(amount));
    await accounts.transact('origin', (state) => [{ type: 'Snapshotted', data: state }]);
    for (let amount = 41; amount <= 42; amount++) await accounts.transact('origin', deposit(amount));

    const afterOrigin = await accounts.loadAsOf('origin', { version: 43n });
    expect(afterOrigin.origin).toEqual({ kind: 'event', version: 40n, type: 'Snapshotted' });
    expect(afterOrigin.eventsFolded).toBe(2);
    expect(afterOrigin.state.balance).toBe(balanceAfter(42));
    const beforeOrigin = await accounts.loadAsOf('origin', { version: 40n });
    expect(beforeOrigin.origin).toEqual({ kind: 'start' });
    expect(beforeOrigin.state.balance).toBe(balanceAfter(40));
    expect(afterOrigin.requests).toBeLessThan(beforeOrigin.requests);
  });

  it('gives the state at a time: every event stored at or before it', async () => {
    const accounts = store.category({ name: 'AsOf', codec, fold: ledger });
    const marks: Date[] = [];
    for (let amount = 1; amount <= 5; amount++) {
      await accounts.transact('timed', deposit(amount));
      await delay(5);
      marks.push(new Date());
      await delay(5);
    }
    const beforeAll = await accounts.loadAsOf('timed', { time: new Date(marks[0]!.getTime() - 60_000) });
    expect(beforeAll).toMatchObject({ version: 0n, state: ledger.initial });
    for (const [at, mark] of marks.entries()) {
      const loaded = await accounts.loadAsOf('timed', { time: mark });
      expect(loaded.version).toBe(BigInt(at + 1));
      expect(loaded.state.balance).toBe(balanceAfter(at + 1));
      expect(loaded.lastEvent!.timestamp.getTime()).toBeLessThanOrEqual(mark.getTime());
    }
  });

  it('refuses a version the stream never had, naming the stream and its version', async () => {
    const accounts = store.category({ name: 'AsOf', codec, fold: ledger });
    const refusal = accounts.loadAsOf('plain', { version: 8n });
    await expect(refusal).rejects.toBeInstanceOf(VersionBeyondStream);
    await expect(refusal).rejects.toThrow('Stream AsOf-plain has 7 event(s); it never was at version 8');
  });

  it('gives the initial state of a stream that does not exist', async () => {
    const accounts = store.category({ name: 'AsOf', codec, fold: ledger });
    expect(await accounts.loadAsOf('nobody', { time: new Date() })).toMatchObject({
      version: 0n,
      currentVersion: 0n,
      state: ledger.initial,
      requests: 1,
    });
  });

  it('reads events the pruner moved out of the container from the pruned history', async () => {
    const fresh = await freshEvents(cosmos);
    const options = { client: cosmos.client, databaseId: fresh.databaseId, tip: { maxEvents: 2 } };
    const writer = createCosmosStore(options).category({ name: 'AsOf', codec, fold: ledger });
    for (let amount = 1; amount <= 7; amount++) await writer.transact('pruned', deposit(amount));
    const { resources: batches } = await fresh.container.items
      .query<BatchDocument>('SELECT * FROM c WHERE c.id != "-1" ORDER BY c.i DESC', { partitionKey: 'AsOf-pruned' })
      .fetchAll();
    const oldest = batches.at(-1)!;
    await fresh.container.item(oldest.id, 'AsOf-pruned').delete();
    const archive: PrunedHistory = {
      async *batchesBefore(_stream, before) {
        if (oldest.i < before) yield oldest;
      },
    };
    const pruned = createCosmosStore(options).category({ name: 'AsOf', codec, fold: ledger });
    await expect(pruned.loadAsOf('pruned', { version: 1n })).rejects.toBeInstanceOf(MissingEvents);
    const archived = createCosmosStore({ ...options, prunedHistory: archive }).category({
      name: 'AsOf',
      codec,
      fold: ledger,
    });
    for (const version of [1, 5, 7]) {
      expect((await archived.loadAsOf('pruned', { version: BigInt(version) })).state.balance).toBe(
        balanceAfter(version),
      );
    }
  });
});
