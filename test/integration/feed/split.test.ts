import { describe, expect, it } from 'vitest';
import { createChangeFeedProcessor, listCheckpoints } from '../../../src/feed/index.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import {
  createLedger,
  createLedgerSink,
  createWriter,
  fastTimings,
  feedContainers,
  streamNames,
  waitUntil,
} from './fixtures.ts';

const cosmos = useTestCosmos({ partitions: 4 });

describe('reading through partition splits and faults', () => {
  it('follows a live split through the lease’s continuation: nothing lost, nothing repeated, no extra lease', async (test) => {
    const local = requireLocal(cosmos, test);
    const { database, events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    const streams = streamNames(40);
    await writer.appendToAll(streams, 2);
    const ledger = createLedger();
    const processor = createChangeFeedProcessor({
      name: 'splitter',
      monitored: events,
      leases,
      sink: createLedgerSink(ledger),
      instanceId: 'only',
      ...fastTimings,
    });
    await processor.start();
    await waitUntil('some events are handled', () => ledger.stats().handled > 20);

    const writing = writer.appendToAll(streams, 3);
    await local.split(database.id, events.id);
    await writing;
    expect(await events.getFeedRanges()).toHaveLength(5);
    await waitUntil('every event is handled', () => ledger.caughtUpWith(writer.next));
    const cycles = processor.stats().acquireCycles;
    await waitUntil(
      'the processor has re-listed the feed ranges twice',
      () => processor.stats().acquireCycles >= cycles + 2,
    );
    await processor.stop();

    expect(ledger.gaps).toEqual([]);
    expect(ledger.stats().duplicates).toBe(0);
    expect(processor.stats().leasesLost).toBe(0);
    expect(processor.stats().leasesCreated).toBe(4);
    const checkpoints = await listCheckpoints({ leases, name: 'splitter' });
    expect(checkpoints).toHaveLength(4);
    // the lease of the split range now checkpoints a position per child
    expect(checkpoints.map((checkpoint) => checkpoint.positions.length).sort()).toEqual([1, 1, 1, 2]);
  });

  it('keeps reading through throttling and unavailable replies without losing or repeating events', async (test) => {
    const local = requireLocal(cosmos, test);
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    const streams = streamNames(20);
    await writer.appendToAll(streams, 2);
    const ledger = createLedger();
    const errors: unknown[] = [];
    const processor = createChangeFeedProcessor({
      name: 'flaky',
      monitored: events,
      leases,
      sink: createLedgerSink(ledger),
      instanceId: 'only',
      onError: (error) => errors.push(error),
      ...fastTimings,
    });
    local.faults.add({ operation: 'changefeed', status: 503, count: 12 });
    local.faults.add({ operation: 'changefeed', status: 429, retryAfterMs: 5, probability: 0.3, count: 30 });
    await processor.start();
    await writer.appendToAll(streams, 2);
    await waitUntil('every event is handled', () => ledger.caughtUpWith(writer.next));
    await processor.stop();
    local.faults.clear();
    expect(local.metrics().faultsInjected['503']).toBe(12);
    expect(errors.length).toBeGreaterThan(0);
    expect(ledger.gaps).toEqual([]);
    expect(ledger.stats().duplicates).toBe(0);
  });
});
