import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec } from '../../../src/codec/index.ts';
import { EventTooLarge, InvalidStoreOptions } from '../../../src/store/index.ts';
import { createMemoryStore } from '../../../src/testing/index.ts';

const codec = defineCodec({ Added: z.object({ tags: z.array(z.string()) }) });
const fold = {
  initial: [] as string[],
  evolve: (tags: string[], event: { data: { tags: string[] } }) => [...tags, ...event.data.tags],
};
const add =
  (...tags: string[]) =>
  () => [{ type: 'Added' as const, data: { tags } }];

describe('the memory store', () => {
  it('reads stored events forwards and backwards, and lists a category’s streams by name', async () => {
    const store = createMemoryStore();
    const notes = store.category({ name: 'Note', codec, fold });
    await notes.transact('b', add('x'));
    await notes.transact('a', add('y'));
    await notes.transact('a', add('z'));
    await store.category({ name: 'Other', codec, fold }).transact('a', add('w'));
    expect((await store.readStream('Note-a')).map((event) => event.data)).toEqual([{ tags: ['y'] }, { tags: ['z'] }]);
    expect((await store.readStream('Note-a', { direction: 'backward' })).map((event) => event.index)).toEqual([1n, 0n]);
    expect(await store.listStreams('Note')).toEqual([
      { stream: 'Note-a', version: 2n },
      { stream: 'Note-b', version: 1n },
    ]);
  });

  it('never shares objects between a decided event, the store and a loaded state', async () => {
    const store = createMemoryStore();
    const notes = store.category({ name: 'Note', codec, fold, cache: false });
    const decided = { type: 'Added' as const, data: { tags: ['kept'] } };
    await notes.transact('1', () => [decided]);
    decided.data.tags.push('changed later');
    const loaded = await notes.load('1');
    loaded.state.push('changed by a reader');
    expect((await notes.load('1')).state).toEqual(['kept']);
  });

  it('checks options and event sizes as the Cosmos DB store does', async () => {
    expect(() => createMemoryStore({ cache: { maxEntries: -1 } })).toThrow(InvalidStoreOptions);
    const small = createMemoryStore({ limits: { maxEventBytes: 100 } }).category({ name: 'Note', codec, fold });
    await expect(small.transact('1', add('x'.repeat(200)))).rejects.toThrow(EventTooLarge);
  });
});
