/**
 * Poison: a malformed document in the feed, an event that fails its schema, a handler that always throws for one
 * stream, and a cross-stream prerequisite that never arrives. Invariant: each poisoned stream is parked with its
 * reason while every other stream keeps flowing (its view equals the replay); after the fix, replaying the parked
 * streams brings their views to the replay too. A malformed document stays parked: it is stored as it was read.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChangeFeedProcessor, createChangeFeedProcessor } from '../../src/feed/index.ts';
import { createProjection } from '../../src/projections/index.ts';
import { createStreamScheduler, type StreamScheduler } from '../../src/streams/index.ts';
import { applyToChecksumView, type ChecksumView, compareWithReplay } from './support/checksum-view.ts';
import { openLedger, scaled } from './support/ledger.ts';
import { runSeed, seededRandom } from './support/random.ts';
import { replayEvents } from './support/replay.ts';
import { eventually, skipWithoutLocalCosmos, startFaultCosmos } from './support/setup.ts';
import { itemCodec, writeItems } from './support/workload.ts';

const ledger = openLedger(import.meta.filename);
afterAll(() => ledger.flush());

const poisoned = {
  malformed: 'Item-malformed',
  invalid: 'Item-invalid',
  throws: 'Item-throws',
  waiting: 'Order-1',
} as const;

function tip(stream: string, events: unknown) {
  return { id: '-1', p: stream, i: 0, n: Array.isArray(events) ? events.length : 1, e: events, u: [] };
}

describe.skipIf(skipWithoutLocalCosmos)('poison events', () => {
  it(
    'parks poisoned streams with their reasons, lets everything else flow, and replays them after the fix',
    async () => {
      ledger.scenario();
      const random = seededRandom(runSeed());
      const faults = await startFaultCosmos({ partitions: 2 });
      const events: Container = faults.database.container('events');
      let fixed = false;
      const projection = createProjection<ChecksumView>({
        name: 'poison',
        version: 1,
        container: faults.database.container('views'),
        apply: (view, applied) => applyToChecksumView(view, applied),
      });
      const scheduler: StreamScheduler = createStreamScheduler({
        name: projection.processorName,
        parking: { deadLetters: faults.database.container('dead-letters'), afterAttempts: 3 },
        retry: { initialDelayMs: 10, maxDelayMs: 50 },
        notYet: { delayMs: 20, maxAttempts: 5 },
        handle: async (span) => {
          if (!fixed && span.stream === poisoned.throws)
            throw new Error('handler bug: it always throws for this stream');
          if (!fixed && span.stream === poisoned.waiting) {
            return { kind: 'notYet', reason: 'waiting for Customer-1, which has not been created' };
          }
          // validate as the real handlers do; after the fix, the old shape is accepted
          if (!fixed) for (const event of span.events) itemCodec.decode(event, span.stream);
          return projection.handle(span);
        },
      });
      const processor: ChangeFeedProcessor = createChangeFeedProcessor({
        name: projection.processorName,
        monitored: events,
        leases: faults.database.container('leases'),
        sink: scheduler,
        startFrom: 'beginning',
        leaseTimings: { acquireIntervalMs: 300, renewIntervalMs: 250, expiryMs: 3_000 },
        pollIntervalMs: 50,
        checkpointIntervalMs: 200,
        onError: () => {},
      });
      await processor.start();
      try {
        const timestamp = new Date().toISOString();
        await events.items.create(tip(poisoned.malformed, 'not an array of events'));
        await events.items.create(tip(poisoned.invalid, [{ t: timestamp, c: 'Added', d: { n: 'not a number' } }]));
        await events.items.create(tip(poisoned.throws, [{ t: timestamp, c: 'Added', d: { n: -1, writer: -1 } }]));
        await events.items.create(tip(poisoned.waiting, [{ t: timestamp, c: 'Added', d: { n: -2, writer: -1 } }]));
        ledger.faults(4);
        await writeItems(faults, { streams: scaled(30, 300), events: scaled(600, 10_000), random });

        const parked = await eventually(
          'the four poisoned streams to be parked',
          () => scheduler.parked.list(),
          (letters) => letters.length >= 4,
          scaled(30_000, 120_000),
        );
        const byStream = new Map(parked.map((letter) => [letter.stream, letter]));
        expect(byStream.get(poisoned.malformed)?.reason).toBe('malformed');
        expect(byStream.get(poisoned.invalid)?.reason).toBe('failed');
        expect(byStream.get(poisoned.invalid)?.error.message).toMatch(/Item-invalid/);
        expect(byStream.get(poisoned.throws)?.reason).toBe('failed');
        expect(byStream.get(poisoned.throws)?.error.message).toMatch(/always throws/);
        expect(byStream.get(poisoned.waiting)?.reason).toBe('notYet');
        expect(byStream.get(poisoned.waiting)?.error.message).toMatch(/Customer-1/);

        // Everything else flowed past the poison, including events written after the parking.
        await writeItems(faults, { streams: scaled(30, 300), events: scaled(200, 2_000), random });
        const healthy = async () => {
          const replay = await replayEvents(events);
          return new Map([...replay.streams].filter(([stream]) => !Object.values<string>(poisoned).includes(stream)));
        };
        const readViews = async () =>
          new Map((await projection.query()).map((document) => [document.key, document.view] as const));
        const flowing = await healthy();
        const views = await eventually(
          'the healthy streams to be projected',
          readViews,
          (current) => compareWithReplay(flowing, current).lost === 0,
          scaled(30_000, 120_000),
        );
        const flowed = compareWithReplay(flowing, views);
        expect(flowed.mismatched).toEqual([]);

        // The fix ships: replaying the parked streams now succeeds; the malformed document is still unreadable.
        fixed = true;
        for (const stream of [poisoned.invalid, poisoned.throws, poisoned.waiting])
          await scheduler.parked.replay(stream);
        const remaining = (await scheduler.parked.list()).map((letter) => letter.stream);
        expect(remaining).toEqual([poisoned.malformed]);
        const replayed = new Map((await replayEvents(events)).streams);
        replayed.delete(poisoned.malformed);
        const after = await eventually(
          'the replayed streams to be projected',
          readViews,
          (current) => compareWithReplay(replayed, current).lost === 0,
          scaled(30_000, 120_000),
        );
        const comparison = compareWithReplay(replayed, after);
        ledger.checked(comparison.checked);
        ledger.lost(comparison.lost);
        expect(comparison.mismatched).toEqual([]);
        expect(comparison.lost).toBe(0);
      } finally {
        await processor.stop();
        scheduler.close();
        await faults.close();
      }
    },
    scaled(120_000, 600_000),
  );
});
