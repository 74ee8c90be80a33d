import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec, type EventOf, UnstorableEvent } from '../../../src/codec/index.ts';
import type { Fold } from '../../../src/decider/index.ts';
import { AccessStrategy, createCosmosStore, LoadOption } from '../../../src/store/index.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { freshEvents } from './ledger.ts';

const codec = defineCodec({
  Scheduled: z.object({ at: z.date() }),
  Noted: z.object({ at: z.iso.datetime() }),
  Summed: z.object({ last: z.date().nullable(), notes: z.number() }),
});
type Event = EventOf<typeof codec>;
type State = { last: Date | null; notes: number };
const fold: Fold<Event, State> = {
  initial: { last: null, notes: 0 },
  evolve: (s, e) =>
    e.type === 'Summed'
      ? e.data
      : e.type === 'Noted'
        ? { last: new Date(e.data.at), notes: s.notes + 1 }
        : { ...s, last: e.data.at },
};

const cosmos = useTestCosmos();

async function calendar(access?: 'snapshot') {
  const { databaseId } = await freshEvents(cosmos);
  const store = createCosmosStore({ client: cosmos.client, databaseId });
  return store.category({
    name: 'Calendar',
    codec,
    fold,
    ...(access
      ? {
          access: AccessStrategy.Snapshot<Event, State>(
            (e) => e.type === 'Summed',
            (s) => ({ type: 'Summed', data: s }),
          ),
        }
      : {}),
  });
}

describe('event data that is not JSON', () => {
  it('is refused at append with UnstorableEvent naming type and field, before any request is sent', async ({
    skip,
  }) => {
    const local = requireLocal(cosmos, { skip });
    const calendars = await calendar();
    local.resetMetrics();
    const append = calendars.transact('1', () => [{ type: 'Scheduled', data: { at: new Date() } }], {
      load: LoadOption.AssumeEmpty,
    });
    await expect(append).rejects.toThrow(UnstorableEvent);
    await expect(append).rejects.toThrow(/Event "Scheduled" at version 0 of stream Calendar-1 .*field "at"/);
    expect(local.metrics().total.requests).toBe(0);
    expect(await calendars.load('1')).toMatchObject({ version: 0n });
  });

  it('leaves the stream loadable: JSON events before and after the refused one append and load', async ({ skip }) => {
    const local = requireLocal(cosmos, { skip });
    const calendars = await calendar();
    await calendars.transact('2', () => [{ type: 'Noted', data: { at: new Date().toISOString() } }]);
    local.resetMetrics();
    await expect(
      calendars.transact('2', () => [{ type: 'Scheduled', data: { at: new Date() } }], {
        load: LoadOption.AnyCachedValue,
      }),
    ).rejects.toThrow(UnstorableEvent);
    expect(local.metrics().total.requests).toBe(0);
    await calendars.transact('2', () => [{ type: 'Noted', data: { at: new Date().toISOString() } }]);
    expect(await calendars.load('2', { load: LoadOption.RequireLoad })).toMatchObject({
      state: { notes: 2 },
      version: 2n,
    });
  });

  it('refuses a snapshot that would not read back, and writes nothing', async ({ skip }) => {
    const local = requireLocal(cosmos, { skip });
    const calendars = await calendar('snapshot');
    local.resetMetrics();
    const append = calendars.transact('3', () => [{ type: 'Noted', data: { at: new Date().toISOString() } }], {
      load: LoadOption.AssumeEmpty,
    });
    await expect(append).rejects.toThrow(/Event "Summed" at version 1 of stream Calendar-3 .*field "last"/);
    expect(local.metrics().total.requests).toBe(0);
  });
});
