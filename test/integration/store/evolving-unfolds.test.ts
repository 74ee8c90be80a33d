import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec, type EventOf, type IgnoredUnfold, UndecodableEvent } from '../../../src/codec/index.ts';
import type { Fold } from '../../../src/decider/index.ts';
import { AccessStrategy, type CosmosStore, createCosmosStore, LoadOption } from '../../../src/store/index.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { freshEvents } from './ledger.ts';

// Old code stored `Snapshotted {total}`; new code keeps the type name and requires `{total, count}`.
const added = z.object({ amount: z.number() });
const oldCodec = defineCodec({ Added: added, Snapshotted: z.object({ total: z.number() }) });
const newSchemas = { Added: added, Snapshotted: z.object({ total: z.number(), count: z.number() }) };
type OldEvent = EventOf<typeof oldCodec>;
type NewEvent = EventOf<ReturnType<typeof defineCodec<typeof newSchemas>>>;
type OldState = { total: number };
type NewState = { total: number; count: number };

const oldFold: Fold<OldEvent, OldState> = {
  initial: { total: 0 },
  evolve: (s, e) => (e.type === 'Added' ? { total: s.total + e.data.amount } : e.data),
};
const newFold: Fold<NewEvent, NewState> = {
  initial: { total: 0, count: 0 },
  evolve: (s, e) => (e.type === 'Added' ? { total: s.total + e.data.amount, count: s.count + 1 } : e.data),
};
const isSnapshot = (e: { type: string }) => e.type === 'Snapshotted';

const cosmos = useTestCosmos();

async function storeWithSmallTips(): Promise<CosmosStore> {
  const { databaseId } = await freshEvents(cosmos);
  return createCosmosStore({ client: cosmos.client, databaseId, tip: { maxEvents: 2 } });
}

function oldCategory(store: CosmosStore) {
  return store.category({
    name: 'Tally',
    codec: oldCodec,
    fold: oldFold,
    access: AccessStrategy.Snapshot<OldEvent, OldState>(isSnapshot, (s) => ({ type: 'Snapshotted', data: s })),
  });
}

function newCategory(store: CosmosStore, reports: IgnoredUnfold[]) {
  const codec = defineCodec(newSchemas, { onIgnoredUnfold: (ignored) => reports.push(ignored) });
  const category = store.category({
    name: 'Tally',
    codec,
    fold: newFold,
    cache: false,
    access: AccessStrategy.Snapshot<NewEvent, NewState>(isSnapshot, (s) => ({ type: 'Snapshotted', data: s })),
  });
  return { codec, category };
}

const add = (amount: number) => () => [{ type: 'Added' as const, data: { amount } }];

describe('a snapshot whose schema tightened', () => {
  it('is ignored, counted and reported once per category; the state is folded from the events', async () => {
    const store = await storeWithSmallTips();
    const old = oldCategory(store);
    for (const amount of [1, 2, 3, 4, 5]) await old.transact('a', add(amount));
    await old.transact('b', add(10));
    const reports: IgnoredUnfold[] = [];
    const { codec, category } = newCategory(store, reports);

    expect(await category.load('a')).toMatchObject({ state: { total: 15, count: 5 }, version: 5n });
    expect(await category.load('a')).toMatchObject({ state: { total: 15, count: 5 } });
    expect(await category.load('b')).toMatchObject({ state: { total: 10, count: 1 }, version: 1n });
    expect(codec.ignoredUnfoldCount).toBe(3);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ stream: 'Tally-a', version: 5n, unfoldType: 'Snapshotted' });
    expect(reports[0]?.problems).toContain('count');
  });

  it('is replaced by the next append, after which a load is one point read again', async ({ skip }) => {
    const store = await storeWithSmallTips();
    const old = oldCategory(store);
    for (const amount of [1, 2, 3]) await old.transact('c', add(amount));
    const { codec, category } = newCategory(store, []);

    expect(await category.transact('c', add(4))).toMatchObject({ version: 4n, appended: 1 });
    const local = requireLocal(cosmos, { skip });
    local.resetMetrics();
    expect(await category.load('c', { load: LoadOption.RequireLoad })).toMatchObject({
      state: { total: 10, count: 4 },
    });
    expect(local.metrics().total.requests).toBe(1);
    expect(codec.ignoredUnfoldCount).toBe(1);
  });

  it('is ignored the same way when its body is in an encoding this reader cannot read', async () => {
    const store = await storeWithSmallTips();
    const reports: IgnoredUnfold[] = [];
    const { codec, category } = newCategory(store, reports);
    for (const amount of [1, 2, 3]) await category.transact('f', add(amount));
    const tip = store.container.item('-1', 'Tally-f');
    const { resource } = await tip.read<{ u: { c: string; d: unknown; D?: number }[] }>();
    if (resource === undefined) throw new Error('the tip of Tally-f was not written');
    await tip.replace({
      ...resource,
      u: resource.u.map((u) => (u.c === 'Snapshotted' ? { ...u, D: 9, d: 'KLUv' } : u)),
    });

    expect(await category.load('f')).toMatchObject({ state: { total: 6, count: 3 }, version: 3n });
    expect(codec.ignoredUnfoldCount).toBe(1);
    expect(reports[0]).toMatchObject({ stream: 'Tally-f', unfoldType: 'Snapshotted' });
    expect(reports[0]?.problems).toContain('body encoding 9');
  });

  it('stays an error where the unfold is the only record of the state (RollingState)', async () => {
    const store = await storeWithSmallTips();
    const rolling = store.category({
      name: 'Rolling',
      codec: oldCodec,
      fold: oldFold,
      access: AccessStrategy.RollingState<OldEvent, OldState>((s) => ({ type: 'Snapshotted', data: s })),
    });
    await rolling.transact('r', add(7));
    const reader = store.category({
      name: 'Rolling',
      codec: defineCodec(newSchemas),
      fold: newFold,
      cache: false,
      access: AccessStrategy.RollingState<NewEvent, NewState>((s) => ({ type: 'Snapshotted', data: s })),
    });
    await expect(reader.load('r')).rejects.toThrow(UndecodableEvent);
  });

  it('leaves events strict: an event that no longer decodes still fails the load', async () => {
    const store = await storeWithSmallTips();
    await oldCategory(store).transact('e', add(1));
    const stricter = store.category({
      name: 'Tally',
      codec: defineCodec({ ...newSchemas, Added: z.object({ amount: z.number(), note: z.string() }) }),
      fold: { initial: 0, evolve: (count: number) => count + 1 },
      cache: false,
    });
    await expect(stricter.load('e')).rejects.toThrow(UndecodableEvent);
  });
});
