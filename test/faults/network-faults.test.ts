/**
 * Cosmos DB misbehaving while events are written and projected: 429 storms on 30% of requests, 503s, added latency,
 * dropped connections, and live partition splits in the middle of change-feed reads. Invariant: once the faults stop,
 * every view equals the fold of a from-scratch replay — nothing lost, nothing applied twice, order kept per stream.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runChecksumProjection, viewsAgainstReplay } from './support/in-process.ts';
import { openLedger, scaled } from './support/ledger.ts';
import { runSeed, seededRandom } from './support/random.ts';
import { skipWithoutLocalCosmos, startFaultCosmos } from './support/setup.ts';
import { writeItems } from './support/workload.ts';

const ledger = openLedger(import.meta.filename);
afterAll(() => ledger.flush());

describe.skipIf(skipWithoutLocalCosmos)('Cosmos DB faults during writes and change-feed reads', () => {
  it(
    'projects every event exactly once into its view through 429 storms, 503s, latency and dropped connections',
    async () => {
      ledger.scenario();
      const seed = runSeed();
      const random = seededRandom(seed);
      const faults = await startFaultCosmos({ partitions: 2 });
      const runner = await runChecksumProjection(faults.database);
      try {
        faults.local.faults.add({ operation: 'any', status: 429, probability: 0.3, retryAfterMs: 5 });
        faults.local.faults.add({ operation: 'changefeed', status: 503, probability: 0.1 });
        faults.local.faults.add({ operation: 'read', status: 503, probability: 0.05 });
        faults.local.faults.add({ operation: 'any', latencyMs: 25, probability: 0.2 });
        faults.local.faults.add({ operation: 'changefeed', drop: true, probability: 0.05 });
        faults.local.faults.add({ operation: 'write', drop: true, probability: 0.03 });
        await writeItems(faults, { streams: scaled(60, 500), events: scaled(1_200, 20_000), random });
        faults.local.faults.clear();
        ledger.faults(faults.faultsInjected());

        const result = await viewsAgainstReplay(faults.database, runner.projection, scaled(60_000, 300_000));
        ledger.checked(result.checked);
        ledger.lost(result.lost);
        expect(result.broken).toEqual([]);
        expect(result.mismatched, `seed ${seed}`).toEqual([]);
        expect(result.lost).toBe(0);
        expect(runner.violations).toEqual([]);
        expect(faults.faultsInjected()).toBeGreaterThan(0);
      } finally {
        faults.local.faults.clear();
        await runner.stop();
        await faults.close();
      }
    },
    scaled(120_000, 600_000),
  );

  it(
    'follows live partition splits during change-feed reads without losing or reordering events',
    async () => {
      ledger.scenario();
      const seed = runSeed();
      const random = seededRandom(seed);
      const faults = await startFaultCosmos({ partitions: 1 });
      const runner = await runChecksumProjection(faults.database, 'checksum-splits');
      try {
        const total = scaled(1_200, 20_000);
        const third = Math.floor(total / 3);
        // Write a third, split the only range while the processor reads it, write another third, split a child, finish.
        await writeItems(faults, { streams: scaled(60, 500), events: third, random, category: 'ItemA' });
        const [left] = await faults.local.split(faults.database.id, 'events');
        ledger.faults(1);
        await writeItems(faults, { streams: scaled(60, 500), events: third, random, category: 'ItemB' });
        await faults.local.split(faults.database.id, 'events', left);
        ledger.faults(1);
        faults.local.faults.add({ operation: 'changefeed', status: 410, count: 1 });
        await writeItems(faults, { streams: scaled(60, 500), events: total - 2 * third, random, category: 'ItemC' });
        ledger.faults(faults.faultsInjected());

        const result = await viewsAgainstReplay(faults.database, runner.projection, scaled(60_000, 300_000));
        ledger.checked(result.checked);
        ledger.lost(result.lost);
        expect(result.broken).toEqual([]);
        expect(result.mismatched, `seed ${seed}`).toEqual([]);
        expect(result.lost).toBe(0);
        expect(runner.violations).toEqual([]);
        expect((await faults.database.container('events').getFeedRanges()).length).toBeGreaterThanOrEqual(3);
      } finally {
        faults.local.faults.clear();
        await runner.stop();
        await faults.close();
      }
    },
    scaled(120_000, 600_000),
  );
});
