/**
 * Processor instances killed with SIGKILL at random moments while three of them project events that are still being
 * written. Invariant: once the survivors (and the restarted instances) catch up, every stream's view equals the fold
 * of a from-scratch replay — every event applied, none twice into the state, in version order — and the leases of
 * killed instances were taken over.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { listCheckpoints } from '../../src/feed/index.ts';
import { createProjection } from '../../src/projections/index.ts';
import { type ChecksumView, compareWithReplay } from './support/checksum-view.ts';
import { createFleet } from './support/fleet.ts';
import { openLedger, scaled } from './support/ledger.ts';
import { runSeed, seededRandom } from './support/random.ts';
import { replayEvents } from './support/replay.ts';
import { eventually, skipWithoutLocalCosmos, startFaultCosmos } from './support/setup.ts';
import { writeItems } from './support/workload.ts';

const ledger = openLedger(import.meta.filename);
const began = Date.now();
const trace = (message: string) => {
  if (process.env.TRIBUTARY_FAULT_DEBUG) console.error(`[processor-kills +${Date.now() - began} ms] ${message}`);
};
afterAll(() => ledger.flush());

describe.skipIf(skipWithoutLocalCosmos)('processor instances killed mid-flight', () => {
  it(
    'brings every view to the replayed state after random SIGKILLs, restarts and lease takeovers',
    async () => {
      ledger.scenario();
      const seed = runSeed();
      const random = seededRandom(seed);
      const streams = scaled(50, 1_000);
      const events = scaled(1_000, 50_000);
      const kills = scaled(2, 15);
      const faults = await startFaultCosmos({ partitions: 4 });
      const fleet = createFleet({
        endpoint: faults.cosmos.endpoint,
        key: faults.cosmos.key,
        databaseId: faults.database.id,
        projection: 'checksum',
      });
      try {
        await Promise.all([0, 1, 2].map((slot) => fleet.start(slot)));
        trace(`3 instances running (seed ${seed})`);
        let writing = true;
        const writer = writeItems(faults, { streams, events, random }).finally(() => {
          writing = false;
        });
        let killed = 0;
        const restarts: Promise<void>[] = [];
        // The chaos schedule: a kill every 0.3–1.5 s at a random instance, restarted under a new identity (its leases
        // must expire and be taken over), until the writer is done and the planned kills happened.
        while (writing || killed < kills) {
          await new Promise((resolve) => setTimeout(resolve, 300 + random() * 1_200));
          const running = fleet.running();
          const victim = running[Math.floor(random() * running.length)];
          if (victim === undefined) continue;
          await fleet.kill(victim);
          killed++;
          trace(`killed instance ${victim} (kill ${killed}), writing: ${writing}`);
          ledger.faults(1);
          restarts.push(fleet.start(victim));
        }
        const written = await writer;
        await Promise.all(restarts);
        trace(`wrote ${written} events, ${killed} kills`);

        const replay = await replayEvents(faults.database.container('events'));
        expect(replay.broken).toEqual([]);
        expect(replay.eventCount).toBe(written);
        const projection = createProjection<ChecksumView>({
          name: 'checksum',
          version: 1,
          container: faults.database.container('views'),
          apply: () => {
            throw new Error('the test only reads views');
          },
        });
        const readViews = async () =>
          new Map((await projection.query()).map((document) => [document.key, document.view] as const));
        const views = await eventually(
          'every view to catch up with the replay',
          readViews,
          (current) => {
            const { lost } = compareWithReplay(replay.streams, current);
            trace(`views: ${current.size}, events not yet reflected: ${lost}`);
            return lost === 0;
          },
          scaled(60_000, 240_000),
          250,
        );
        const comparison = compareWithReplay(replay.streams, views);
        ledger.checked(comparison.checked);
        ledger.lost(comparison.lost);
        expect(comparison.mismatched, `seed ${seed}`).toEqual([]);
        expect(comparison.lost).toBe(0);

        const leases = await listCheckpoints({
          leases: faults.database.container('leases'),
          name: projection.processorName,
        });
        const live = new Set(fleet.running().map((slot) => slot));
        expect(leases.length).toBeGreaterThanOrEqual(4);
        // Each lease read by exactly one instance once they settle: two readers of one lease mean a lease write
        // got through that should have lost on its ETag.
        const owned = await eventually(
          'every lease to be read by exactly one instance',
          () => fleet.owned(),
          (bySlot) => {
            const all = [...bySlot.values()].flat();
            return all.length === leases.length && new Set(all).size === leases.length;
          },
          10_000,
          200,
        );
        expect([...owned.values()].flat().sort()).toEqual(leases.map((lease) => lease.leaseId).sort());
        expect(fleet.violations()).toEqual([]);
        for (const lease of leases) {
          expect(lease.owner, `lease ${lease.leaseId} is owned by a running instance`).toBeDefined();
          expect(live.has(Number(/^faults-(\d+)-/.exec(lease.owner ?? '')?.[1]))).toBe(true);
        }
        trace('leases checked');
      } finally {
        await fleet.stopAll();
        trace('instances stopped');
        await faults.close();
      }
    },
    scaled(120_000, 600_000),
  );
});
