/**
 * Documents arriving in every order a stream's history can take in the change feed: calved batches and tips with
 * overlapping events in separate small pages, and old batches written again unchanged (a migration or a manual fix
 * does this) so that they come after the later ones. Invariant: reading from the beginning, every view equals the
 * replay — each stream handed from version 0, every event once, in order — and no gap is closed by skipping.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runChecksumProjection, viewsAgainstReplay } from './support/in-process.ts';
import { openLedger, scaled } from './support/ledger.ts';
import { runSeed, seededRandom } from './support/random.ts';
import { readAllDocuments } from './support/replay.ts';
import { skipWithoutLocalCosmos, startFaultCosmos } from './support/setup.ts';
import { writeItems } from './support/workload.ts';

const ledger = openLedger(import.meta.filename);
afterAll(() => ledger.flush());

describe.skipIf(skipWithoutLocalCosmos)('arrival order of a stream’s documents', () => {
  it('hands every stream from version 0, in order, when old batches are written again after later ones', async () => {
    ledger.scenario();
    const seed = runSeed();
    const random = seededRandom(seed);
    const faults = await startFaultCosmos({ partitions: 2 });
    try {
      await writeItems(faults, { streams: scaled(20, 100), events: scaled(600, 5_000), random, tipMaxEvents: 2 });
      const events = faults.database.container('events');
      const batches = (await readAllDocuments(events)).filter((document) => document.id !== '-1');
      let rewritten = 0;
      for (const batch of batches) {
        if (random() > 0.3) continue;
        const { _rid, _self, _etag, _ts, _lsn, _attachments, ...body } = batch;
        await events.items.upsert(body);
        rewritten++;
      }
      ledger.faults(rewritten);

      const runner = await runChecksumProjection(faults.database, 'arrival', { maxItemsPerPage: 3 });
      try {
        const result = await viewsAgainstReplay(faults.database, runner.projection, scaled(60_000, 240_000));
        ledger.checked(result.checked);
        ledger.lost(result.lost);
        expect(result.broken).toEqual([]);
        expect(result.mismatched, `seed ${seed}`).toEqual([]);
        expect(result.lost).toBe(0);
        expect(runner.violations).toEqual([]);
        expect(runner.scheduler.stats().gaps.skippedAtStart).toBe(0);
      } finally {
        await runner.stop();
      }
    } finally {
      await faults.close();
    }
  }, 300_000);
});
