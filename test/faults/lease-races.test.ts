/**
 * Instances racing for the same leases: several processes started at the same moment, again and again, all take
 * free leases one at a time from one snapshot of the lease documents. Invariant: every lease write is guarded by the
 * ETag of the document it was decided on, so of two instances taking the same lease at once exactly one succeeds —
 * an instance loses a lease only to a balancing steal (Σ leases lost ≤ Σ leases stolen), and once settled every
 * lease is read by exactly one instance.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createFleet } from './support/fleet.ts';
import { openLedger, scaled } from './support/ledger.ts';
import { eventually, skipWithoutLocalCosmos, startFaultCosmos } from './support/setup.ts';

const ledger = openLedger(import.meta.filename);
afterAll(() => ledger.flush());

describe.skipIf(skipWithoutLocalCosmos)('instances racing for leases', () => {
  it('gives each lease to exactly one of the instances taking it at once', async () => {
    ledger.scenario();
    const faults = await startFaultCosmos({ partitions: 8 });
    const fleet = createFleet({
      endpoint: faults.cosmos.endpoint,
      key: faults.cosmos.key,
      databaseId: faults.database.id,
      projection: 'racing',
    });
    const slots = [0, 1, 2];
    let lost = 0;
    let stolen = 0;
    try {
      for (let round = 0; round < scaled(3, 8); round++) {
        await Promise.all(slots.map((slot) => fleet.start(slot)));
        ledger.faults(1);
        await eventually(
          'every lease to be read by exactly one instance',
          () => fleet.owned(),
          (bySlot) => {
            const all = [...bySlot.values()].flat();
            return all.length === 8 && new Set(all).size === 8;
          },
          20_000,
          100,
        );
        for (const counters of (await fleet.leaseCounters()).values()) {
          lost += counters.leasesLost;
          stolen += counters.leasesStolen;
        }
        await fleet.stopAll();
      }
      expect(lost).toBeLessThanOrEqual(stolen);
    } finally {
      await fleet.stopAll();
      await faults.close();
    }
  }, 300_000);
});
