import { z } from 'zod';
import { defineCodec } from '../../../src/codec/index.ts';
import { createCosmosStore } from '../../../src/store/index.ts';
import type { FaultCosmos } from './setup.ts';

/** The scenarios' domain: items added to lists; every event's data is unique, so the checksum catches any mix-up. */
export const itemCodec = defineCodec({ Added: z.object({ n: z.number(), writer: z.number() }) });

/**
 * Appends `events` events to `streams` streams of category `Item` with `writers` concurrent writers, 1–4 events per
 * command, through the store. A command that fails (an injected 503 the SDK does not retry) is sent again, as an
 * HTTP client would; the scenarios inject only faults that reject a request before it executes, so a retried command
 * cannot have been applied. Resolves with the number of events appended.
 */
export async function writeItems(
  faults: FaultCosmos,
  options: {
    streams: number;
    events: number;
    writers?: number;
    random: () => number;
    category?: string;
    /** the tip's `maxEvents`: small values calve a batch document every few appends */
    tipMaxEvents?: number;
  },
): Promise<number> {
  const store = createCosmosStore({
    client: faults.cosmos.client,
    databaseId: faults.database.id,
    ...(options.tipMaxEvents === undefined ? {} : { tip: { maxEvents: options.tipMaxEvents } }),
  });
  const items = store.category({
    name: options.category ?? 'Item',
    codec: itemCodec,
    fold: { initial: 0, evolve: (count: number) => count + 1 },
    maxAttempts: 50,
  });
  let written = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: options.writers ?? 8 }, async (_, writer) => {
      while (written < options.events) {
        const size = Math.min(1 + Math.floor(options.random() * 4), options.events - written);
        written += size;
        const id = String(Math.floor(options.random() * options.streams));
        const decided = Array.from({ length: size }, () => ({ type: 'Added' as const, data: { n: next++, writer } }));
        for (let attempt = 1; ; attempt++) {
          try {
            await items.transact(id, () => decided);
            break;
          } catch (error) {
            if (attempt >= 20) throw error;
          }
        }
      }
    }),
  );
  return written;
}
