import { describe, expect, it } from 'vitest';
import { createProjection, runProjection } from '../../../src/projections/index.ts';
import { createReactor, notYet } from '../../../src/reactors/index.ts';
import { runHandler } from '../../../src/streams/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import {
  type Account,
  accountFold,
  depositRounds,
  fastProcessor,
  fastScheduler,
  foldTimeline,
  pipelineEnvironment,
  waitUntil,
} from '../projections/fixtures.ts';

const cosmos = useTestCosmos();

describe('reactors', () => {
  it('perform side effects in version order per stream, retrying a failing one without holding up the others', async () => {
    const env = await pipelineEnvironment(cosmos);
    const sent: string[] = [];
    let failuresLeft = 2;
    const reactor = createReactor({
      name: 'Notifier',
      categories: ['Account'],
      handle: async (stream, events) => {
        if (stream === 'Account-flaky' && failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('mail server unavailable');
        }
        for (const event of events) sent.push(`${stream}#${event.index}`);
      },
    });
    await depositRounds(env, ['flaky', 'steady'], 2);
    const running = await runHandler(reactor, {
      events: env.events,
      leases: env.leases,
      processor: fastProcessor,
      scheduler: fastScheduler,
    });
    try {
      await Promise.all([
        waitUntilHandled(running.scheduler, 'Account-flaky', 3n),
        waitUntilHandled(running.scheduler, 'Account-steady', 3n),
      ]);
      expect(sent.filter((s) => s.startsWith('Account-flaky'))).toEqual([
        'Account-flaky#0',
        'Account-flaky#1',
        'Account-flaky#2',
      ]);
      expect(sent.filter((s) => s.startsWith('Account-steady'))).toEqual([
        'Account-steady#0',
        'Account-steady#1',
        'Account-steady#2',
      ]);
      expect(failuresLeft).toBe(0);
      expect(running.scheduler.stats().failures).toBe(2);
    } finally {
      await running.stop();
    }
  });

  it('park a stream that keeps failing with its error, and replay it once fixed', async () => {
    const env = await pipelineEnvironment(cosmos);
    let broken = true;
    const done: string[] = [];
    const reactor = createReactor({
      name: 'Ledger',
      handle: async (stream, events) => {
        if (stream === 'Account-poison' && broken) throw new Error('ledger rejects this account');
        for (const event of events) done.push(`${stream}#${event.index}`);
      },
    });
    await depositRounds(env, ['poison', 'fine'], 1);
    const running = await runHandler(reactor, {
      events: env.events,
      leases: env.leases,
      parking: { deadLetters: env.deadLetters, afterAttempts: 3 },
      processor: fastProcessor,
      scheduler: fastScheduler,
    });
    try {
      expect(await waitUntilHandled(running.scheduler, 'Account-poison', 2n)).toBe('parked');
      await waitUntilHandled(running.scheduler, 'Account-fine', 2n);
      const [letter] = await running.scheduler.parked.list();
      expect(letter).toMatchObject({ stream: 'Account-poison', reason: 'failed', attempts: 3 });
      expect(letter?.error.message).toContain('ledger rejects this account');
      expect(letter?.events.map((e) => e.index)).toEqual([0, 1]);

      broken = false;
      await running.scheduler.parked.replay('Account-poison');
      expect(done.filter((d) => d.startsWith('Account-poison'))).toEqual(['Account-poison#0', 'Account-poison#1']);
      expect(await running.scheduler.parked.list()).toEqual([]);
    } finally {
      await running.stop();
    }
  });

  it('wait for another stream with notYet without blocking the rest, and park with the reason when it never comes', async () => {
    const env = await pipelineEnvironment(cosmos);
    const owners = createProjection<Account>({
      name: 'Owners',
      version: 1,
      container: env.views,
      categories: ['Account'],
      apply: (view, events, stream) => foldTimeline(view ?? accountFold.initial, events, stream),
    });
    const welcomed: string[] = [];
    // A referral welcome needs the referrer's account: it waits (notYet) until the referrer's view exists.
    const reactor = createReactor({
      name: 'Referrals',
      categories: ['Referral'],
      handle: async (stream, events) => {
        for (const event of events) {
          const referrer = (event.data as { referrer: string }).referrer;
          const view = await owners.read(`Account-${referrer}`);
          if (!view) return notYet(`account ${referrer} is not projected yet`);
          welcomed.push(`${stream} by ${view.owner}`);
        }
      },
    });
    const refer = async (id: string, referrer: string) =>
      env.store.container.items.batch(
        [
          {
            operationType: 'Create',
            resourceBody: {
              id: '-1',
              p: `Referral-${id}`,
              i: 0,
              n: 1,
              e: [{ t: new Date().toISOString(), c: 'Referred', d: { referrer } }],
              u: [],
            },
          },
        ],
        `Referral-${id}`,
      );
    await refer('r1', 'later');
    await refer('r2', 'never');
    await depositRounds(env, ['other'], 1);
    const running = await runHandler(reactor, {
      events: env.events,
      leases: env.leases,
      parking: { deadLetters: env.deadLetters },
      processor: fastProcessor,
      scheduler: { ...fastScheduler, notYet: { delayMs: 20, maxAttempts: 1_000, maxWaitMs: 3_000 } },
    });
    const projection = await runProjection(owners, {
      events: env.events,
      leases: env.leases,
      processor: fastProcessor,
      scheduler: fastScheduler,
    });
    try {
      await waitUntilHandled(projection.scheduler, 'Account-other', 2n);
      await waitUntil('r1 has been told notYet', () => running.scheduler.stats().notYet > 0);
      expect(welcomed).toEqual([]);
      await depositRounds(env, ['later'], 1);
      expect(await waitUntilHandled(running.scheduler, 'Referral-r1', 1n)).toBe('handled');
      expect(welcomed).toEqual(['Referral-r1 by owner-later']);
      expect(await waitUntilHandled(running.scheduler, 'Referral-r2', 1n)).toBe('parked');
      const [letter] = await running.scheduler.parked.list();
      expect(letter).toMatchObject({ stream: 'Referral-r2', reason: 'notYet' });
      expect(letter?.error.message).toContain('account never is not projected yet');
    } finally {
      await Promise.all([running.stop(), projection.stop()]);
    }
  });
});
