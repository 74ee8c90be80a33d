import { CosmosClient } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec } from '../../../src/codec/index.ts';
import { InvalidStreamName } from '../../../src/core/index.ts';
import { createCosmosStore, InvalidStoreOptions } from '../../../src/store/index.ts';

// No request is made: creating a store or a category only checks options.
const client = new CosmosClient({ endpoint: 'https://localhost:1', key: 'a2V5' });
const codec = defineCodec({ Happened: z.object({}) });
const fold = { initial: 0, evolve: (n: number) => n + 1 };

describe('store and category options', () => {
  it('rejects out-of-range store options when the store is created', () => {
    expect(() => createCosmosStore({ client, databaseId: 'db', tip: { maxEvents: -1 } })).toThrow(InvalidStoreOptions);
    expect(() => createCosmosStore({ client, databaseId: 'db', limits: { maxEventBytes: 0 } })).toThrow(
      /maxEventBytes/,
    );
  });

  it('rejects out-of-range category options when the category is created', () => {
    const store = createCosmosStore({ client, databaseId: 'db' });
    expect(() => store.category({ name: 'Thing', codec, fold, maxAttempts: 0 })).toThrow(InvalidStoreOptions);
    expect(() => store.category({ name: 'Thing', codec, fold, resyncBackoff: { baseMs: -5 } })).toThrow(/baseMs/);
  });

  it('rejects an invalid category name when the category is created', () => {
    const store = createCosmosStore({ client, databaseId: 'db' });
    expect(() => store.category({ name: 'No-Dashes', codec, fold })).toThrow(InvalidStreamName);
  });
});
