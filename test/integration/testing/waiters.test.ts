import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec } from '../../../src/codec/index.ts';
import { createChangeFeedProcessor } from '../../../src/feed/index.ts';
import { createCosmosStore } from '../../../src/store/index.ts';
import { createStreamScheduler } from '../../../src/streams/index.ts';
import { startTestCosmos, type TestCosmos, waitUntilHandled } from '../../../src/testing/index.ts';

let cosmos: TestCosmos;
beforeAll(async () => {
  cosmos = await startTestCosmos({ partitions: 2 });
});
afterAll(async () => {
  await cosmos?.close();
});

describe('the testing facet', () => {
  it('startTestCosmos gives a server with the four containers, and waitUntilHandled takes the version transact reports', async () => {
    const codec = defineCodec({ Noted: z.object({ n: z.number() }) });
    const notes = createCosmosStore({ client: cosmos.client, databaseId: cosmos.databaseId }).category({
      name: 'Note',
      codec,
      fold: { initial: null, evolve: () => null },
    });
    const seen: number[] = [];
    const scheduler = createStreamScheduler({
      name: 'waiters',
      handle: async (span) => {
        for (const event of span.events) seen.push(Number(event.index));
        return undefined;
      },
    });
    const processor = createChangeFeedProcessor({
      name: 'waiters',
      monitored: cosmos.containers.events,
      leases: cosmos.containers.leases,
      sink: scheduler,
      startFrom: 'beginning',
    });
    await processor.start();
    try {
      await notes.transact('1', () => [{ type: 'Noted', data: { n: 1 } }]);
      const { version } = await notes.transact('1', () => [{ type: 'Noted', data: { n: 2 } }]);
      expect(version).toBe(2n);
      expect(await waitUntilHandled(scheduler, 'Note-1', version)).toBe('handled');
      expect(seen).toEqual([0, 1]);
      expect(await waitUntilHandled(scheduler, 'Note-2', 0)).toBe('handled');
    } finally {
      await processor.stop();
      scheduler.close();
    }
  });
});
