import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createProjection, runProjection } from '../../../src/projections/index.ts';
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

// several feed ranges: the head is noted, and the checkpoint judged, per range
const cosmos = useTestCosmos({ partitions: 4 });

function balances(env: PipelineEnvironment, version: number, handlingMs = 0) {
  return createProjection<Account>({
    name: 'Balances',
    version,
    container: env.views,
    categories: ['Account'],
    apply: async (view, events, stream) => {
      if (handlingMs > 0) await delay(handlingMs);
      return foldTimeline(view ?? accountFold.initial, events, stream);
    },
  });
}

describe('a rebuild', () => {
  it('switches readers over only once it has handled a backlog written moments before it started', async () => {
    const env = await pipelineEnvironment(cosmos);
    const v1 = balances(env, 1);
    await depositRounds(env, ['old'], 1);
    const first = await runProjection(v1, {
      events: env.events,
      leases: env.leases,
      processor: fastProcessor,
      scheduler: fastScheduler,
    });
    await waitUntilHandled(first.scheduler, 'Account-old', 2n);
    await first.stop();

    const ids = Array.from({ length: 300 }, (_, n) => `fresh${n}`);
    await depositRounds(env, ids, 3); // 1,200 events, just written
    const v2 = balances(env, 2, 30);
    const atSwitch: { handled: number }[] = [];
    const second = await runProjection(v2, {
      events: env.events,
      leases: env.leases,
      // small pages, so that checkpoints move (and could be mistaken for caught up) while the rebuild is under way
      processor: { ...fastProcessor, maxItemsPerPage: 10 },
      scheduler: { ...fastScheduler, maxConcurrentStreams: 4 },
      switchOver: { checkEveryMs: 50 },
      onSwitchOver: (event) => {
        if ('version' in event) atSwitch.push({ handled: second.scheduler.stats().handled.events });
      },
    });
    try {
      expect(await v2.activeVersion()).toBe(1);
      await waitUntil('readers switched to version 2', async () => (await v2.activeVersion()) === 2, 60_000);
      expect(atSwitch).toHaveLength(1);
      expect(atSwitch[0]?.handled).toBeGreaterThanOrEqual(1_202);
      const views = await v2.query({ where: 'STARTSWITH(c.key, "Account-fresh")' });
      expect(views).toHaveLength(300);
      expect(views.every((view) => view.view.balance === 6 && view.view.transactions === 3)).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it('switches over while new events keep arriving, once everything written before it started is handled', async () => {
    const env = await pipelineEnvironment(cosmos);
    const v1 = balances(env, 1);
    await v1.activate();
    await depositRounds(env, ['steady'], 20);
    const v2 = balances(env, 2);
    const handledAtSwitch: number[] = [];
    const second = await runProjection(v2, {
      events: env.events,
      leases: env.leases,
      processor: fastProcessor,
      scheduler: fastScheduler,
      switchOver: { checkEveryMs: 50 },
      onSwitchOver: (event) => {
        if ('version' in event) handledAtSwitch.push(second.scheduler.stats().handled.events);
      },
    });
    let writing = true;
    const writer = (async () => {
      for (let round = 21; writing; round++) {
        await depositRounds(env, ['steady'], 1, round);
        await delay(5);
      }
    })();
    try {
      await waitUntil('readers switched to version 2', async () => (await v2.activeVersion()) === 2, 30_000);
      expect(handledAtSwitch[0]).toBeGreaterThanOrEqual(21);
    } finally {
      writing = false;
      await writer;
      await second.stop();
    }
  });
});
