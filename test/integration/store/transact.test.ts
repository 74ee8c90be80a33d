import type { Container } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineCodec, InvalidEvent, UndecodableEvent, UnknownEventType } from '../../../src/codec/index.ts';
import { InvalidStreamName } from '../../../src/core/index.ts';
import {
  AppendTooLarge,
  CommandIdExpired,
  type CosmosStore,
  createCosmosStore,
  EventTooLarge,
  LoadOption,
  MalformedDocument,
  MaxResyncsExhausted,
} from '../../../src/store/index.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { codec, type Event, freshEvents, InsufficientFunds, ledger, type State, schemas, snapshot } from './ledger.ts';
import { type StoreUnderTest, storeFactories } from './stores.ts';

const cosmos = useTestCosmos();
const run = (command: Parameters<typeof ledger.decide>[0]) => (state: State) => ledger.decide(command, state);

describe.each(storeFactories(cosmos))('transact ($name)', (factory) => {
  let store: StoreUnderTest;
  beforeAll(async () => {
    store = await factory.create({ tipMaxEvents: 4 });
  });
  // each category gets a cache of its own, as if it ran in a process of its own
  const accounts = (options: { maxAttempts?: number; cache?: false; queueWrites?: boolean } = {}) =>
    store.category({ name: 'Ledger', codec, fold: ledger, access: snapshot, cache: { maxEntries: 100 }, ...options });

  it('appends the decided events and reports the new version', async () => {
    const outcome = await accounts().transact('t1', run({ type: 'Open', owner: 'ada' }));
    expect(outcome).toEqual({ version: 1n, appended: 1, duplicate: false });
    const loaded = await accounts({ cache: false }).load('t1');
    expect(loaded.state).toEqual({ owner: 'ada', balance: 0, entries: 1 });
    expect(loaded.version).toBe(1n);
    expect(loaded.etag).toEqual(expect.any(String));
  });
  it('writes nothing when the decision is empty', async () => {
    const category = accounts();
    await category.transact('t2', run({ type: 'Open', owner: 'ada' }));
    const again = await category.transact('t2', run({ type: 'Open', owner: 'bob' }));
    expect(again).toEqual({ version: 1n, appended: 0, duplicate: false });
  });
  it('lets a rejected command throw its own error and writes nothing', async () => {
    await expect(accounts().transact('t3', run({ type: 'Withdraw', amount: 5 }))).rejects.toThrow(InsufficientFunds);
    expect(await store.readStream('Ledger-t3')).toEqual([]);
  });
  it('reloads and decides again when another writer got there first', async () => {
    const first = accounts();
    const second = accounts();
    await first.transact('t4', run({ type: 'Deposit', amount: 10 }));
    await second.load('t4');
    await first.transact('t4', run({ type: 'Withdraw', amount: 10 }));
    // second's cached state (balance 10) is stale: the append conflicts, it reloads (balance 0) and decides again
    await expect(
      second.transact('t4', run({ type: 'Withdraw', amount: 10 }), { load: LoadOption.AnyCachedValue }),
    ).rejects.toThrow(InsufficientFunds);
    const outcome = await second.transact('t4', run({ type: 'Deposit', amount: 3 }), {
      load: LoadOption.AnyCachedValue,
    });
    expect(outcome.version).toBe(3n);
    expect(await accounts({ cache: false }).query('t4', (s) => s.balance)).toBe(3);
  });
  it('gives up with MaxResyncsExhausted after maxAttempts conflicts, writing nothing', async () => {
    const writer = accounts();
    const loser = accounts({ maxAttempts: 1 });
    await writer.transact('t5', run({ type: 'Deposit', amount: 1 }));
    await loser.load('t5');
    await writer.transact('t5', run({ type: 'Deposit', amount: 1 }));
    const attempt = loser.transact('t5', run({ type: 'Deposit', amount: 50 }), { load: LoadOption.AnyCachedValue });
    await expect(attempt).rejects.toThrow(MaxResyncsExhausted);
    await expect(attempt).rejects.toThrow(/stream Ledger-t5 after 1 attempts/);
    expect(await writer.query('t5', (s) => s.balance)).toBe(2);
  });
  it('returns the original outcome for a repeated command id and appends nothing', async () => {
    const category = accounts();
    const decide = (state: State) => {
      const events = ledger.decide({ type: 'Deposit', amount: 7 }, state);
      return [state.balance + 7, events] as const;
    };
    expect(await category.transactResult('t6', decide, { commandId: 'req-1' })).toBe(7);
    expect(await accounts({ cache: false }).transactResult('t6', decide, { commandId: 'req-1' })).toBe(7);
    const repeat = await accounts().transact('t6', run({ type: 'Deposit', amount: 7 }), { commandId: 'req-1' });
    expect(repeat).toEqual({ version: 1n, appended: 0, duplicate: true });
    expect(await store.readStream('Ledger-t6')).toHaveLength(1);
  });
  it('remembers only the most recent command ids', async () => {
    const category = store.category({ name: 'Ledger', codec, fold: ledger, access: snapshot, maxCommandIds: 2 });
    for (const id of ['a', 'b', 'c'])
      await category.transact('t7', run({ type: 'Deposit', amount: 1 }), { commandId: id });
    // 'a' dropped out of the window: its outcome is gone, but it is still recognised and not applied twice
    const replayed = category.transact('t7', run({ type: 'Deposit', amount: 1 }), { commandId: 'a' });
    await expect(replayed).rejects.toThrow(CommandIdExpired);
    const remembered = await category.transact('t7', run({ type: 'Deposit', amount: 1 }), { commandId: 'c' });
    expect(remembered.duplicate).toBe(true);
  });
  it('runs concurrent commands for one stream in one process one at a time, each decided once', async () => {
    const category = accounts();
    await category.transact('q1', run({ type: 'Open', owner: 'ada' }));
    let decisions = 0;
    const deposit = (state: State) => {
      decisions += 1;
      return ledger.decide({ type: 'Deposit', amount: 1 }, state);
    };
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => category.transact('q1', deposit)));
    expect(decisions).toBe(10);
    // in the order they were called
    expect(outcomes.map((outcome) => outcome.version)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i + 2)));
    expect(await category.query('q1', (s) => s.balance)).toBe(10);
  });

  it('without the write queue, concurrent commands conflict and are decided again, losing no update', async () => {
    const category = accounts({ queueWrites: false, maxAttempts: 20 });
    await category.transact('q2', run({ type: 'Open', owner: 'ada' }));
    let decisions = 0;
    const deposit = (state: State) => {
      decisions += 1;
      return ledger.decide({ type: 'Deposit', amount: 1 }, state);
    };
    await Promise.all(Array.from({ length: 5 }, () => category.transact('q2', deposit)));
    expect(decisions).toBeGreaterThan(5);
    expect(await accounts({ cache: false }).query('q2', (s) => s.balance)).toBe(5);
  });

  it('recovers when a stream assumed empty already exists', async () => {
    await accounts().transact('t10', run({ type: 'Deposit', amount: 4 }));
    const outcome = await accounts().transact('t10', run({ type: 'Deposit', amount: 4 }), {
      load: LoadOption.AssumeEmpty,
    });
    expect(outcome.version).toBe(2n);
    expect(await accounts({ cache: false }).query('t10', (s) => s.balance)).toBe(8);
  });
  it('stores correlation, causation and metadata with each event', async () => {
    await accounts().transact('t8', run({ type: 'Deposit', amount: 1 }), {
      correlationId: 'corr',
      causationId: 'cause',
      meta: { user: 'ada' },
    });
    const [event] = await store.readStream('Ledger-t8');
    expect(event).toMatchObject({
      correlationId: 'corr',
      causationId: 'cause',
      meta: { user: 'ada' },
      type: 'Deposited',
    });
  });
  it('rejects an event that breaks its schema, naming stream and version, and writes nothing', async () => {
    const category = accounts();
    await category.transact('b1', run({ type: 'Deposit', amount: 1 }));
    const attempt = category.transact('b1', () => [{ type: 'Deposited', data: { amount: -3 } }]);
    await expect(attempt).rejects.toThrow(InvalidEvent);
    await expect(attempt).rejects.toThrow(/at version 1 of stream Ledger-b1/);
    expect(await store.readStream('Ledger-b1')).toHaveLength(1);
  });
  it('rejects an event over the 2 MB document limit before sending anything', async () => {
    const huge: Event = { type: 'Noted', data: { text: 'x'.repeat(2_100_000) } };
    await expect(accounts().transact('b2', () => [huge])).rejects.toThrow(EventTooLarge);
    expect(await store.readStream('Ledger-b2')).toEqual([]);
  });
  it('rejects more events than one transactional batch can carry', async () => {
    const many: Event[] = Array.from({ length: 30 }, () => ({ type: 'Noted', data: { text: 'y'.repeat(100_000) } }));
    const attempt = accounts().transact('b3', () => many);
    await expect(attempt).rejects.toThrow(AppendTooLarge);
    await expect(attempt).rejects.toThrow(/30 events at version 0 of stream Ledger-b3/);
    expect(await store.readStream('Ledger-b3')).toEqual([]);
  });
  it('rejects an invalid stream id before any request', async () => {
    await expect(accounts().transact('', run({ type: 'Deposit', amount: 1 }))).rejects.toThrow(InvalidStreamName);
    await expect(accounts().load('a/b')).rejects.toThrow(InvalidStreamName);
  });
});

describe('transact on Cosmos DB', () => {
  let store: CosmosStore;
  let container: Container;
  beforeAll(async () => {
    const fresh = await freshEvents(cosmos);
    container = fresh.container;
    store = createCosmosStore({ client: cosmos.client, databaseId: fresh.databaseId, tip: { maxEvents: 4 } });
  });
  const accounts = () =>
    store.category({ name: 'Ledger', codec, fold: ledger, access: snapshot, cache: { maxEntries: 100 } });

  it('queues concurrent commands for one stream in one process instead of letting them conflict', async ({ skip }) => {
    const local = requireLocal(cosmos, { skip });
    const category = accounts();
    await category.transact('t9', run({ type: 'Open', owner: 'ada' }));
    local.resetMetrics();
    await Promise.all(Array.from({ length: 10 }, () => category.transact('t9', run({ type: 'Deposit', amount: 1 }))));
    expect(local.metrics().byOperation.batch.requests).toBe(10);
    expect(await category.query('t9', (s) => s.balance)).toBe(10);
  });
  it('ignores unfolds of types it does not declare, written by other writers', async () => {
    await container.items.create({
      id: '-1',
      p: 'Ledger-t11',
      i: 0,
      n: 1,
      e: [{ t: new Date().toISOString(), c: 'Deposited', d: { amount: 5 } }],
      u: [{ i: 1, t: new Date().toISOString(), c: 'SomeoneElsesView', d: { x: 1 } }],
    });
    expect(await accounts().query('t11', (s) => s.balance)).toBe(5);
  });
  it('sends no write at all for an append it refuses', async ({ skip }) => {
    const local = requireLocal(cosmos, { skip });
    const category = accounts();
    await category.transact('b6', run({ type: 'Deposit', amount: 1 }));
    local.resetMetrics();
    const refused: [() => Promise<unknown>, new (...args: never[]) => Error][] = [
      [() => category.transact('b6', () => [{ type: 'Deposited', data: { amount: -3 } }]), InvalidEvent],
      [() => category.transact('b6', () => [{ type: 'Noted', data: { text: 'x'.repeat(2_100_000) } }]), EventTooLarge],
      [
        () =>
          category.transact('b6', () =>
            Array.from({ length: 30 }, () => ({ type: 'Noted' as const, data: { text: 'y'.repeat(100_000) } })),
          ),
        AppendTooLarge,
      ],
      [() => category.transact('b/6', run({ type: 'Deposit', amount: 1 })), InvalidStreamName],
    ];
    for (const [attempt, error] of refused) await expect(attempt()).rejects.toThrow(error);
    const { byOperation, total } = local.metrics();
    expect(byOperation.batch.requests).toBe(0);
    expect(byOperation.write.requests).toBe(0);
    expect(total.documentsWritten).toBe(0);
    expect(await store.readStream('Ledger-b6')).toHaveLength(1);
  });
  it('raises UndecodableEvent naming stream, version and type for a stored event that breaks its schema', async () => {
    await container.items.create({
      id: '-1',
      p: 'Ledger-b4',
      i: 0,
      n: 2,
      e: [
        { t: new Date().toISOString(), c: 'Deposited', d: { amount: 5 } },
        { t: new Date().toISOString(), c: 'Deposited', d: { amount: 'five' } },
      ],
      u: [],
    });
    const attempt = accounts().load('b4');
    await expect(attempt).rejects.toThrow(UndecodableEvent);
    await expect(attempt).rejects.toThrow(/"Deposited" at version 1 of stream Ledger-b4/);
  });
  it('raises MalformedDocument naming stream and version when a stored body does not decode', async () => {
    await container.items.create({
      id: '-1',
      p: 'Ledger-b7',
      i: 0,
      n: 2,
      e: [
        { t: new Date().toISOString(), c: 'Deposited', d: { amount: 5 } },
        { t: new Date().toISOString(), c: 'Deposited', d: 'this is not deflate', D: 1 },
      ],
      u: [],
    });
    const attempt = accounts().load('b7');
    await expect(attempt).rejects.toThrow(MalformedDocument);
    await expect(attempt).rejects.toThrow(/stream Ledger-b7 .*version 1/);
  });
  it('fails on unknown stored types by default and skips them with a report when asked', async () => {
    await container.items.create({
      id: '-1',
      p: 'Ledger-b5',
      i: 0,
      n: 2,
      e: [
        { t: new Date().toISOString(), c: 'Frozen', d: {} },
        { t: new Date().toISOString(), c: 'Deposited', d: { amount: 5 } },
      ],
      u: [],
    });
    await expect(accounts().load('b5')).rejects.toThrow(UnknownEventType);
    const skipped: string[] = [];
    const lenient = defineCodec(schemas, {
      unknownTypes: { skip: (report) => skipped.push(`${report.eventType}@${report.version}`) },
    });
    const category = store.category({ name: 'Ledger', codec: lenient, fold: ledger });
    expect(await category.query('b5', (s) => s.balance)).toBe(5);
    expect(skipped).toEqual(['Frozen@0']);
    expect(lenient.skippedCount).toBe(1);
  });
});
