import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import {
  createChangeFeedProcessor,
  deleteProcessor,
  estimateLag,
  listCheckpoints,
  resetCheckpoints,
  rewindCheckpoints,
} from '../../../src/feed/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import {
  createLedger,
  createLedgerSink,
  createWriter,
  fastTimings,
  feedContainers,
  type Ledger,
  streamNames,
  waitUntil,
} from './fixtures.ts';

const cosmos = useTestCosmos({ partitions: 4 });

/** Runs the processor until `done` holds, then stops it gracefully. */
async function runUntil(events: Container, leases: Container, ledger: Ledger, done: () => boolean) {
  const processor = createChangeFeedProcessor({
    name: 'tools',
    monitored: events,
    leases,
    sink: createLedgerSink(ledger),
    ...fastTimings,
  });
  await processor.start();
  await waitUntil('the processor has caught up', done);
  await processor.stop();
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('checkpoint tools and the lag estimate', () => {
  it('list positions, estimate lag, rewind to the beginning or a time, reset and delete a processor', async () => {
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    const early = streamNames(10, 'Early');
    await writer.appendToAll(early, 2);
    const firstRun = createLedger();
    await runUntil(events, leases, firstRun, () => firstRun.caughtUpWith(writer.next));

    const listed = await listCheckpoints({ leases, name: 'tools' });
    expect(listed).toHaveLength(4);
    for (const checkpoint of listed) {
      expect(checkpoint.owner).toBeUndefined();
      expect(checkpoint.positions.every((p) => p.position !== undefined)).toBe(true);
      expect(checkpoint.lastCheckpointAt).toBeInstanceOf(Date);
    }
    const caughtUp = await estimateLag({ monitored: events, leases, name: 'tools' });
    expect(caughtUp.map((range) => range.pendingChanges)).toEqual([0, 0, 0, 0]);
    expect(caughtUp.every((range) => range.behindMs === 0)).toBe(true);

    // five appends change ten documents: five new batches and five tips
    for (const stream of early.slice(0, 5)) await writer.append(stream, 1);
    const behind = await estimateLag({ monitored: events, leases, name: 'tools', exact: true });
    expect(sum(behind.map((range) => range.pendingChanges))).toBe(10);
    expect(behind.some((range) => range.oldestPendingAt instanceof Date)).toBe(true);
    // the LSN estimate (the default) finds the same ranges behind and the same oldest change (it counts writes: an
    // append's batch and tip share one LSN, while writes to other ranges in between widen the span here)
    const estimated = await estimateLag({ monitored: events, leases, name: 'tools' });
    expect(estimated.every((range) => range.estimated)).toBe(true);
    for (const [k, range] of estimated.entries()) {
      expect(range.pendingChanges > 0).toBe(behind[k]!.pendingChanges > 0);
      expect(range.oldestPendingAt).toEqual(behind[k]!.oldestPendingAt);
    }

    expect(await rewindCheckpoints({ leases, name: 'tools' }, 'beginning')).toBe(4);
    const rewound = await listCheckpoints({ leases, name: 'tools' });
    expect(rewound.every((c) => c.continuation === undefined && c.startFrom?.kind === 'beginning')).toBe(true);
    const fromBeginning = await estimateLag({ monitored: events, leases, name: 'tools', exact: true });
    expect(sum(fromBeginning.map((range) => range.pendingChanges))).toBe(early.length * 3 + 5);
    const replay = createLedger();
    await runUntil(events, leases, replay, () => replay.caughtUpWith(writer.next));
    expect(replay.stats().handled).toBe(sum([...writer.next.values()]));

    // `_ts` and If-Modified-Since have a resolution of one second: let the clock pass a second boundary
    const second = Math.ceil(Date.now() / 1000) * 1000;
    await waitUntil('the clock has passed a second boundary', () => Date.now() >= second + 1);
    const late = streamNames(6, 'Late');
    await writer.appendToAll(late, 1);
    expect(await rewindCheckpoints({ leases, name: 'tools' }, new Date(second))).toBe(4);
    const sinceTime = createLedger();
    await runUntil(events, leases, sinceTime, () => late.every((stream) => sinceTime.positions.get(stream) === 2));
    expect([...sinceTime.positions.keys()].sort()).toEqual([...late].sort());

    expect(await resetCheckpoints({ leases, name: 'tools' })).toBe(4);
    expect(
      (await listCheckpoints({ leases, name: 'tools' })).every(
        (c) => c.continuation === undefined && c.startFrom === undefined,
      ),
    ).toBe(true);
    expect(await deleteProcessor({ leases, name: 'tools' })).toBe(4);
    expect(await listCheckpoints({ leases, name: 'tools' })).toEqual([]);
  });

  it('makes running owners give up and re-read their ranges from a rewind marker', async () => {
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    await writer.appendToAll(streamNames(10), 2);
    const ledger = createLedger();
    const processor = createChangeFeedProcessor({
      name: 'rewound',
      monitored: events,
      leases,
      sink: createLedgerSink(ledger),
      ...fastTimings,
    });
    await processor.start();
    await waitUntil('everything is handled', () => ledger.caughtUpWith(writer.next));
    await waitUntil('every lease has a checkpoint', async () =>
      (await listCheckpoints({ leases, name: 'rewound' })).every((checkpoint) => checkpoint.continuation !== undefined),
    );

    await rewindCheckpoints({ leases, name: 'rewound' }, 'beginning');
    const total = ledger.stats().handled;
    await waitUntil('every event has been delivered again', () => ledger.stats().duplicates >= total);
    expect(processor.stats().leasesLost).toBe(4);
    await waitUntil('the instance reads all four ranges again', () => processor.ownedLeases().length === 4);
    await processor.stop();
    expect(ledger.gaps).toEqual([]);
  });
});
