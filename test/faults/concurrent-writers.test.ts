/**
 * Concurrent writers on hot streams. Invariant: the history of every stream is linearizable — each event was decided
 * on exactly the events before it — versions are contiguous from 0, every acknowledged command appears exactly once
 * and no rejected one appears at all (no lost update, no phantom write), even with 429s on a fifth of the writes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCodec, type EventOf } from '../../src/codec/index.ts';
import { AccessStrategy, createCosmosStore } from '../../src/store/index.ts';
import { openLedger, scaled } from './support/ledger.ts';
import { replayEvents } from './support/replay.ts';
import { skipWithoutLocalCosmos, startFaultCosmos } from './support/setup.ts';

const ledger = openLedger(import.meta.filename);
afterAll(() => ledger.flush());

const codec = defineCodec({
  Incremented: z.object({ writer: z.number(), seq: z.number(), seen: z.number() }),
  Snapshotted: z.object({ count: z.number() }),
});
type Event = EventOf<typeof codec>;

describe.skipIf(skipWithoutLocalCosmos)('concurrent writers on hot streams', () => {
  it('keeps every hot stream linearizable with contiguous versions and no lost or phantom update', async () => {
    ledger.scenario();
    const hotStreams = scaled(4, 16);
    const writers = scaled(8, 24);
    const commandsPerWriter = scaled(25, 150);
    const faults = await startFaultCosmos();
    try {
      const store = createCosmosStore({ client: faults.cosmos.client, databaseId: faults.database.id });
      const counter = store.category({
        name: 'Counter',
        codec,
        fold: {
          initial: 0,
          evolve: (count: number, event: Event) => (event.type === 'Snapshotted' ? event.data.count : count + 1),
        },
        access: AccessStrategy.Snapshot<Event, number>(
          (e) => e.type === 'Snapshotted',
          (count) => ({ type: 'Snapshotted', data: { count } }),
        ),
        maxAttempts: 1_000,
      });
      faults.local.faults.add({ operation: 'batch', status: 429, probability: 0.2, retryAfterMs: 1 });

      const acknowledged = new Map<string, { stream: string; version: bigint }>();
      const rejected = new Set<string>();
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let seq = 0; seq < commandsPerWriter; seq++) {
            const id = `hot-${(writer * 7 + seq * 13) % hotStreams}`;
            const key = `${writer}:${seq}`;
            try {
              const outcome = await counter.transact(id, (count) => [
                { type: 'Incremented', data: { writer, seq, seen: count } },
              ]);
              acknowledged.set(key, { stream: `Counter-${id}`, version: outcome.version });
            } catch {
              rejected.add(key);
            }
          }
        }),
      );
      faults.local.faults.clear();
      ledger.faults(faults.faultsInjected());

      const replay = await replayEvents(faults.database.container('events'));
      expect(replay.broken).toEqual([]);
      const seen = new Map<string, { stream: string; version: number }>();
      for (const [stream, events] of replay.streams) {
        events.forEach((event, position) => {
          const data = event.data as { writer: number; seq: number; seen: number };
          // linearizable: the decision that produced the event at version k saw exactly k events
          expect(data.seen, `${stream}@${position}`).toBe(position);
          const key = `${data.writer}:${data.seq}`;
          expect(seen.has(key), `command ${key} appended twice`).toBe(false);
          seen.set(key, { stream, version: position + 1 });
        });
      }
      ledger.checked(replay.eventCount);
      let lost = 0;
      for (const [key, ack] of acknowledged) {
        const found = seen.get(key);
        if (found === undefined) lost++;
        else expect({ stream: found.stream, version: BigInt(found.version) }).toEqual(ack);
      }
      ledger.lost(lost);
      expect(lost).toBe(0);
      for (const key of rejected) expect(seen.has(key), `rejected command ${key} was written`).toBe(false);
      expect(acknowledged.size + rejected.size).toBe(writers * commandsPerWriter);
      expect(acknowledged.size).toBeGreaterThan(0);
    } finally {
      await faults.close();
    }
  });
});
