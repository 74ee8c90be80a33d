import { describe, expect, it } from 'vitest';
import { createProjection, runProjection, UnstorableView, ViewTooLarge } from '../../../src/projections/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import {
  depositRounds,
  fastProcessor,
  fastScheduler,
  type PipelineEnvironment,
  pipelineEnvironment,
  waitUntil,
} from './fixtures.ts';

const cosmos = useTestCosmos();

/** A journal that copies 700 kB per event of the `Account-big*` streams: four events no longer fit an item. */
function journal(env: PipelineEnvironment) {
  return createProjection<{ pages: string[]; lastAt?: unknown }>({
    name: 'Journal',
    version: 1,
    container: env.views,
    categories: ['Account'],
    apply: (view, events, stream) => ({
      pages: [...(view?.pages ?? []), ...events.map(() => (stream.includes('big') ? 'x'.repeat(700_000) : '.'))],
      ...(stream.includes('dated') ? { lastAt: events.at(-1)?.timestamp } : {}),
    }),
  });
}

describe('a projection whose view cannot be stored', () => {
  it('refuses a view over the item limit with ViewTooLarge, sending no write', async ({ skip }) => {
    const local = requireLocal(cosmos, { skip });
    const env = await pipelineEnvironment(cosmos);
    const projection = journal(env);
    await depositRounds(env, ['big1'], 4);
    const events = await env.store.readStream('Account-big1');
    local.resetMetrics();
    const handling = projection.handle({ stream: 'Account-big1', index: 0n, events });
    await expect(handling).rejects.toThrow(ViewTooLarge);
    await expect(handling).rejects.toThrow(
      /view Account-big1: it is \d+ bytes of JSON, over the 2000000-byte limit of an item/,
    );
    expect(local.metrics().byOperation.write.requests).toBe(0);
  });

  it('turns Cosmos DB’s own 413 for a view over 2 MB into ViewTooLarge, after one write', async ({ skip }) => {
    const local = requireLocal(cosmos, { skip });
    const env = await pipelineEnvironment(cosmos);
    const unchecked = createProjection<{ blob: string }>({
      name: 'Unchecked',
      version: 1,
      container: env.views,
      maxViewBytes: 10_000_000,
      apply: () => ({ blob: 'x'.repeat(2_200_000) }),
    });
    await depositRounds(env, ['big3'], 1);
    const events = await env.store.readStream('Account-big3');
    local.resetMetrics();
    const handling = unchecked.handle({ stream: 'Account-big3', index: 0n, events });
    await expect(handling).rejects.toThrow(ViewTooLarge);
    await expect(handling).rejects.toThrow(
      /cannot write view Account-big3: it is \d+ bytes of JSON, which Cosmos DB refused as too large \(413\)/,
    );
    expect(local.metrics().byOperation.write.requests).toBe(1);
  });

  it('parks the stream at its first failure, naming the view, while other streams go on', async () => {
    const env = await pipelineEnvironment(cosmos);
    const projection = journal(env);
    await depositRounds(env, ['big2', 'dated', 'small'], 4);
    const running = await runProjection(projection, {
      events: env.events,
      leases: env.leases,
      parking: { deadLetters: env.deadLetters, afterAttempts: 50 },
      processor: fastProcessor,
      scheduler: fastScheduler,
    });
    try {
      await waitUntilHandled(running.scheduler, 'Account-small', 5n);
      await waitUntil('both streams are parked', async () => (await running.scheduler.parked.list()).length === 2);
      const letters = await running.scheduler.parked.list();
      const big = letters.find((letter) => letter.stream === 'Account-big2');
      const dated = letters.find((letter) => letter.stream === 'Account-dated');
      expect(big).toMatchObject({ attempts: 1, error: { name: 'ViewTooLarge' } });
      expect(big?.error.message).toContain('Projection Journal cannot write view Account-big2');
      expect(dated).toMatchObject({ attempts: 1, error: { name: UnstorableView.name } });
      expect(dated?.error.message).toContain('field "lastAt"');
      expect(await projection.read('Account-small')).toEqual({ pages: ['.', '.', '.', '.', '.'] });
    } finally {
      await running.stop();
    }
  });
});
