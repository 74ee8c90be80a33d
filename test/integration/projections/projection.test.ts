import { describe, expect, it } from 'vitest';
import { createProjection, InvalidProjection, type Projection, runProjection } from '../../../src/projections/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import {
  type Account,
  accountFold,
  depositRounds,
  fastProcessor,
  fastScheduler,
  foldTimeline,
  type PipelineEnvironment,
  pipelineEnvironment,
  waitUntil,
} from './fixtures.ts';

const cosmos = useTestCosmos();

function balances(env: PipelineEnvironment, version = 1): Projection<Account> {
  return createProjection<Account>({
    name: 'Balances',
    version,
    container: env.views,
    categories: ['Account'],
    apply: (view, events, stream) => foldTimeline(view ?? accountFold.initial, events, stream),
  });
}

async function expectedAccount(env: PipelineEnvironment, id: string): Promise<Account> {
  return (await env.accounts.load(id)).state;
}

describe('projections', () => {
  it('keep one view per stream equal to the fold of its events, and remember the version applied', async () => {
    const env = await pipelineEnvironment(cosmos);
    const projection = balances(env);
    const ids = ['a1', 'a2', 'a3'];
    await depositRounds(env, ids, 4);
    const running = await runProjection(projection, {
      events: env.events,
      leases: env.leases,
      processor: fastProcessor,
      scheduler: fastScheduler,
    });
    try {
      await Promise.all(ids.map((id) => waitUntilHandled(running.scheduler, `Account-${id}`, 5n)));
      for (const id of ids) {
        expect(await projection.read(`Account-${id}`)).toEqual(await expectedAccount(env, id));
        expect((await projection.readDocument(`Account-${id}`))?.versions).toEqual({ [`Account-${id}`]: 5 });
      }
      const rich = await projection.query({
        where: 'c.view.balance >= @min',
        parameters: [{ name: '@min', value: 10 }],
      });
      expect(rich.map((d) => d.key).sort()).toEqual(['Account-a1', 'Account-a2', 'Account-a3']);
    } finally {
      await running.stop();
    }
  });

  it('change nothing when a span is delivered again', async () => {
    const env = await pipelineEnvironment(cosmos);
    const projection = balances(env);
    await depositRounds(env, ['r1'], 3);
    const events = await env.store.readStream('Account-r1');
    await projection.handle({ stream: 'Account-r1', index: 0n, events });
    const before = await projection.readDocument('Account-r1');
    const outcome = await projection.handle({ stream: 'Account-r1', index: 1n, events: events.slice(1) });
    const after = await projection.readDocument('Account-r1');
    expect(after?._etag).toBe(before?._etag);
    expect(after?.view).toEqual(await expectedAccount(env, 'r1'));
    expect(outcome).toEqual({ kind: 'handled', nextIndex: 4n });
  });

  it('write a stream’s next span from the cached view, and re-read it when another writer changed it', async () => {
    const env = await pipelineEnvironment(cosmos);
    const projection = balances(env);
    await depositRounds(env, ['c1'], 3);
    const events = await env.store.readStream('Account-c1');
    await projection.handle({ stream: 'Account-c1', index: 0n, events: events.slice(0, 2) });
    await projection.handle({ stream: 'Account-c1', index: 2n, events: events.slice(2, 3) });
    expect(projection.stats()).toMatchObject({ reads: 1, writes: 2, conflicts: 0 });
    // another instance (same projection, its own cache) applies the last event meanwhile
    await balances(env).handle({ stream: 'Account-c1', index: 3n, events: events.slice(3) });
    await projection.handle({ stream: 'Account-c1', index: 3n, events: events.slice(3) });
    expect(projection.stats()).toMatchObject({ reads: 2, writes: 2, alreadyApplied: 1 });
    expect(await projection.read('Account-c1')).toEqual(await expectedAccount(env, 'c1'));
  });

  it('feed one view from many streams, keeping a version per source stream, with concurrent writers retried', async () => {
    const env = await pipelineEnvironment(cosmos);
    const totals = createProjection<{ total: number; deposits: number }>({
      name: 'BankTotals',
      version: 1,
      container: env.views,
      categories: ['Account'],
      viewKey: () => 'bank',
      apply: (view, events) => {
        let { total, deposits } = view ?? { total: 0, deposits: 0 };
        for (const event of events) {
          if (event.type === 'Deposited') {
            total += (event.data as { amount: number }).amount;
            deposits += 1;
          }
        }
        return { total, deposits };
      },
    });
    const ids = Array.from({ length: 8 }, (_, k) => `t${k}`);
    await depositRounds(env, ids, 3);
    const running = await runProjection(totals, {
      events: env.events,
      leases: env.leases,
      processor: fastProcessor,
      scheduler: { ...fastScheduler, maxConcurrentStreams: 8 },
    });
    try {
      await Promise.all(ids.map((id) => waitUntilHandled(running.scheduler, `Account-${id}`, 4n)));
      const document = await totals.readDocument('bank');
      expect(document?.view).toEqual({ total: 8 * (1 + 2 + 3), deposits: 24 });
      expect(document?.versions).toEqual(Object.fromEntries(ids.map((id) => [`Account-${id}`, 4])));
      expect(totals.stats().conflicts).toBeGreaterThan(0);
    } finally {
      await running.stop();
    }
  });

  it('rebuild a new version from the beginning beside the live one, then switch readers over', async () => {
    const env = await pipelineEnvironment(cosmos);
    const v1 = balances(env, 1);
    await depositRounds(env, ['b1', 'b2'], 3);
    const first = await runProjection(v1, {
      events: env.events,
      leases: env.leases,
      processor: fastProcessor,
      scheduler: fastScheduler,
    });
    await Promise.all(['b1', 'b2'].map((id) => waitUntilHandled(first.scheduler, `Account-${id}`, 4n)));
    await first.stop();
    expect(await v1.activeVersion()).toBe(1);

    const v2 = createProjection<{ owner: string; cents: number }>({
      name: 'Balances',
      version: 2,
      container: env.views,
      categories: ['Account'],
      apply: (view, events, stream) => {
        const account = foldTimeline(
          { owner: view?.owner, balance: (view?.cents ?? 0) / 100, transactions: 0 },
          events,
          stream,
        );
        return { owner: account.owner ?? '', cents: Math.round(account.balance * 100) };
      },
    });
    const switched: number[] = [];
    const second = await runProjection(v2, {
      events: env.events,
      leases: env.leases,
      processor: fastProcessor,
      scheduler: fastScheduler,
      switchOver: { checkEveryMs: 50 },
      onSwitchOver: (event) => 'version' in event && switched.push(event.version),
    });
    try {
      const during = await second.progress();
      expect(during).toMatchObject({ projection: 'Balances', version: 2 });
      expect(await v1.read('Account-b1')).toMatchObject({ balance: 6 });
      await waitUntil('readers switched to version 2', async () => (await v2.activeVersion()) === 2);
      expect(switched).toEqual([2]);
      await Promise.all(['b1', 'b2'].map((id) => waitUntilHandled(second.scheduler, `Account-${id}`, 4n)));
      // readers of either definition now get the version-2 views; version 1's set is still there, untouched
      expect(await v1.read('Account-b1')).toEqual({ owner: 'owner-b1', cents: 600 });
      expect(await v1.read('Account-b1', { version: 1 })).toMatchObject({ balance: 6 });
      expect((await second.progress()).rebuilding).toBe(false);
      await expect(v2.deleteViews()).rejects.toThrow(/is the active one/);
      await expect(v2.deleteViews()).rejects.toBeInstanceOf(InvalidProjection);
      expect(await v2.deleteViews({ version: 1 })).toBe(2);
      expect(await v1.read('Account-b1', { version: 1 })).toBeUndefined();
      expect(await v1.read('Account-b1')).toEqual({ owner: 'owner-b1', cents: 600 });
      // a rebuild in place (`tributary rebuild`) clears the active version's views on purpose
      expect(await v2.deleteViews({ evenIfActive: true })).toBe(2);
      expect(await v1.read('Account-b1')).toBeUndefined();
    } finally {
      await second.stop();
    }
  });

  it('park a malformed document from the change feed with its error, without dropping it or stopping other streams', async () => {
    const env = await pipelineEnvironment(cosmos);
    const projection = balances(env);
    // written by someone else, straight through the SDK: one broken shape, one event failing the codec's schema
    const now = new Date().toISOString();
    await env.events.items.create({
      id: '0',
      p: 'Account-broken',
      i: 0,
      n: 2,
      e: [{ t: now, c: 'Opened', d: { owner: 'x' } }],
    });
    await env.events.items.create({
      id: '-1',
      p: 'Account-invalid',
      i: 0,
      n: 1,
      e: [{ t: now, c: 'Deposited', d: { amount: -5 } }],
      u: [],
    });
    await depositRounds(env, ['healthy'], 2);
    const running = await runProjection(projection, {
      events: env.events,
      leases: env.leases,
      parking: { deadLetters: env.deadLetters, afterAttempts: 2 },
      processor: fastProcessor,
      scheduler: fastScheduler,
    });
    try {
      await waitUntilHandled(running.scheduler, 'Account-healthy', 3n);
      expect(await projection.read('Account-healthy')).toEqual(await expectedAccount(env, 'healthy'));
      await waitUntil('both bad streams are parked', async () => (await running.scheduler.parked.list()).length === 2);
      const letters = await running.scheduler.parked.list();
      const broken = letters.find((l) => l.stream === 'Account-broken');
      const invalid = letters.find((l) => l.stream === 'Account-invalid');
      expect(broken?.reason).toBe('malformed');
      expect(broken?.malformed[0]?.error.message).toContain('"e" holds 1 events');
      expect(broken?.malformed[0]?.document).toMatchObject({ id: '0', p: 'Account-broken' });
      expect(invalid?.reason).toBe('failed');
      expect(invalid?.error.name).toBe('UndecodableEvent');
      expect(invalid?.events).toHaveLength(1);
      expect(await projection.read('Account-invalid')).toBeUndefined();
      await depositRounds(env, ['healthy'], 1, 3);
      await waitUntilHandled(running.scheduler, 'Account-healthy', 4n);
      expect((await projection.read('Account-healthy'))?.balance).toBe(6);
    } finally {
      await running.stop();
    }
  });
});
