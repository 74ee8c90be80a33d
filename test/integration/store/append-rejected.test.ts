import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec } from '../../../src/codec/index.ts';
import { AppendRejected, createCosmosStore } from '../../../src/store/index.ts';
import { isPermanentFailure } from '../../../src/streams/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { freshEvents } from './ledger.ts';

const cosmos = useTestCosmos();

describe('an append Cosmos DB refuses as too large', () => {
  it('is the permanent AppendRejected naming the stream, once the store’s own limits were raised past 2 MB', async () => {
    const { databaseId } = await freshEvents(cosmos);
    const store = createCosmosStore({
      client: cosmos.client,
      databaseId,
      limits: { maxEventBytes: 10_000_000, maxRequestBytes: 10_000_000 },
    });
    const notes = store.category({
      name: 'Note',
      codec: defineCodec({ Written: z.object({ text: z.string() }) }),
      fold: { initial: 0, evolve: (count: number) => count + 1 },
    });
    const append = notes.transact('1', () => [{ type: 'Written', data: { text: 'x'.repeat(2_200_000) } }]);
    await expect(append).rejects.toThrow(AppendRejected);
    await expect(append).rejects.toThrow(/append at version 0 of stream Note-1 .*status 413 \(too large\)/);
    await expect(append).rejects.toSatisfy(isPermanentFailure);
    expect(await notes.load('1')).toMatchObject({ version: 0n });
  });
});
