import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec } from '../../../src/codec/index.ts';
import { type Category, LoadOption, MaxResyncsExhausted } from '../../../src/store/index.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { type StoreFactory, storeFactories } from './stores.ts';

const cosmos = useTestCosmos();

const codec = defineCodec({
  Appended: z.object({ writer: z.number().int(), seq: z.number().int(), sawVersion: z.number().int() }),
});
type Appended = ReturnType<typeof codec.decode> & {};
const counter = { initial: 0, evolve: (count: number) => count + 1 };

/**
 * Runs `writers` concurrent writers, each sending `commands` commands in order to one stream, spread over
 * `processes` categories (each with its own cache and write queue, like separate processes), then checks the
 * stream against what was accepted; returns how many were accepted and how many decisions that took.
 */
async function race(factory: StoreFactory, writers: number, commands: number, processes: number) {
  const store = await factory.create({ tipMaxEvents: 16 });
  const categories: Category<Appended, number>[] = Array.from({ length: processes }, () =>
    store.category({ name: 'Race', codec, fold: counter, maxAttempts: 100, cache: { maxEntries: 10 } }),
  );
  const accepted = new Set<string>();
  const rejected = new Set<string>();
  let decisions = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const category = categories[writer % processes]!;
      for (let seq = 0; seq < commands; seq++) {
        try {
          // a stale cached state is safe: the append's etag check catches it and the command is decided again
          const decide = (count: number) => {
            decisions += 1;
            return [{ type: 'Appended' as const, data: { writer, seq, sawVersion: count } }];
          };
          await category.transact('one', decide, { load: LoadOption.AnyCachedValue });
          accepted.add(`${writer}/${seq}`);
        } catch (error) {
          if (!(error instanceof MaxResyncsExhausted)) throw error;
          rejected.add(`${writer}/${seq}`);
        }
      }
    }),
  );

  expect(accepted.size + rejected.size).toBe(writers * commands);
  const events = await store.readStream('Race-one');
  expect(events).toHaveLength(accepted.size);
  expect(events.map((event) => event.index)).toEqual(events.map((_, i) => BigInt(i)));
  const data = events.map((event) => event.data as { writer: number; seq: number; sawVersion: number });
  // every decision saw every event before it: nothing decided on a stale state was written (no lost update)
  expect(data.map((d) => d.sawVersion)).toEqual(data.map((_, i) => i));
  expect(new Set(data.map((d) => `${d.writer}/${d.seq}`))).toEqual(accepted);
  for (let writer = 0; writer < writers; writer++) {
    const seqs = data.filter((d) => d.writer === writer).map((d) => d.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  }
  const reader = store.category({ name: 'Race', codec, fold: counter, cache: false });
  expect((await reader.load('one')).version).toBe(BigInt(accepted.size));
  return { attempted: writers * commands, decisions };
}

describe.each(storeFactories(cosmos))('concurrent writers on one stream ($name)', (factory) => {
  const needsLocal = (test: { skip(note?: string): void }) => {
    if (factory.name === 'Cosmos DB') requireLocal(cosmos, test);
  };
  // ~1,200 appends in series on one stream: about 8 s on an idle machine; the timeout leaves room for a busy one
  it('20 writers × 50 commands in 4 processes end with exactly the accepted events, contiguous, no lost update', {
    timeout: 180_000,
  }, async ({ skip }) => {
    needsLocal({ skip });
    const { attempted, decisions } = await race(factory, 20, 50, 4);
    // the processes did race: some appends conflicted and were decided again
    expect(decisions).toBeGreaterThan(attempted);
  });

  it('20 independent writers (one process each) racing on every command lose no update', async ({ skip }) => {
    needsLocal({ skip });
    const { attempted, decisions } = await race(factory, 20, 4, 20);
    expect(decisions).toBeGreaterThan(attempted);
  });
});
