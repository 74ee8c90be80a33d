import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { type ChangeFeedProcessor, createChangeFeedProcessor, listCheckpoints } from '../../../src/feed/index.ts';
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

const ownedCounts = (instances: readonly ChangeFeedProcessor[]) =>
  instances.map((instance) => instance.ownedLeases().length).sort();

describe('change-feed processor instances', () => {
  it('share the four ranges of a container, hand a stopped instance’s ranges to the others within the lease expiry, and handle every event once in order', async () => {
    const { events, leases } = await feedContainers(cosmos);
    expect(await events.getFeedRanges()).toHaveLength(4);
    const writer = createWriter(events);
    const streams = streamNames(40);
    await writer.appendToAll(streams, 2);

    const ledger = createLedger();
    const start = (instanceId: string, monitored: Container = events) =>
      createChangeFeedProcessor({
        name: 'projector',
        monitored,
        leases,
        sink: createLedgerSink(ledger),
        instanceId,
        ...fastTimings,
      });
    const instances = [start('a'), start('b'), start('c')];
    await Promise.all(instances.map((instance) => instance.start()));
    await waitUntil('the three instances hold 1, 1 and 2 leases', () => ownedCounts(instances).join() === '1,1,2');

    const writing = writer.appendToAll(streams, 3);
    const busiest = instances.reduce((a, b) => (b.ownedLeases().length > a.ownedLeases().length ? b : a));
    const others = instances.filter((instance) => instance !== busiest);
    await busiest.stop();
    expect(busiest.ownedLeases()).toEqual([]);
    const handOver = await waitUntil(
      'the remaining two instances hold all four leases',
      () => ownedCounts(others).join() === '2,2',
    );
    expect(handOver).toBeLessThan(fastTimings.leaseTimings.expiryMs);

    await writing;
    await waitUntil('every event is handled', () => ledger.caughtUpWith(writer.next));
    expect(ledger.gaps).toEqual([]);
    expect(ledger.stats().handled).toBe(streams.length * 5 * 2);

    await Promise.all(others.map((instance) => instance.stop()));
    const checkpoints = await listCheckpoints({ leases, name: 'projector' });
    expect(checkpoints).toHaveLength(4);
    for (const checkpoint of checkpoints) {
      expect(checkpoint.owner).toBeUndefined();
      expect(checkpoint.positions.length).toBeGreaterThan(0);
    }
  });

  it('never delivers a range from two instances that race for its lease at start-up (the loser drops its early read)', async () => {
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    const streams = streamNames(40);
    await writer.appendToAll(streams, 3);
    const ledger = createLedger();
    const start = (instanceId: string) =>
      createChangeFeedProcessor({
        name: 'racers',
        monitored: events,
        leases,
        sink: createLedgerSink(ledger),
        instanceId,
        ...fastTimings,
        // no balancing cycle during the test: only the start-up races decide who reads what
        leaseTimings: { acquireIntervalMs: 60_000, renewIntervalMs: 300, expiryMs: 30_000 },
      });
    const instances = [start('a'), start('b'), start('c')];
    await Promise.all(instances.map((instance) => instance.start()));
    expect(instances.reduce((sum, instance) => sum + instance.ownedLeases().length, 0)).toBe(4);
    expect(instances.reduce((sum, instance) => sum + instance.stats().leasesAcquired, 0)).toBe(4);
    await waitUntil('every event is handled', () => ledger.caughtUpWith(writer.next));
    await Promise.all(instances.map((instance) => instance.stop()));
    expect(ledger.gaps).toEqual([]);
    expect(ledger.stats()).toEqual({ handled: streams.length * 3 * 2, duplicates: 0 });
  });

  it('gives an instance that joins later its share by stealing one lease per cycle, then keeps still', async () => {
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    const streams = streamNames(30);
    await writer.appendToAll(streams, 2);
    const ledger = createLedger();
    const start = (instanceId: string) =>
      createChangeFeedProcessor({
        name: 'joiner',
        monitored: events,
        leases,
        sink: createLedgerSink(ledger),
        instanceId,
        ...fastTimings,
      });
    const first = start('first');
    await first.start();
    expect(first.ownedLeases()).toHaveLength(4);
    const writing = writer.appendToAll(streams, 3);
    const second = start('second');
    await second.start();
    await waitUntil('the two instances hold two leases each', () => ownedCounts([first, second]).join() === '2,2');
    await writing;
    await waitUntil('every event is handled', () => ledger.caughtUpWith(writer.next));
    const cycles = second.stats().acquireCycles;
    await waitUntil('a few more acquire cycles ran', () => second.stats().acquireCycles >= cycles + 3);
    expect(ownedCounts([first, second]).join()).toBe('2,2');
    expect(second.stats().leasesStolen).toBe(2);
    expect(first.stats().leasesLost).toBe(2);
    await Promise.all([first.stop(), second.stop()]);
    expect(ledger.gaps).toEqual([]);
  });

  it('lets a restarted instance continue from the checkpoints its predecessor wrote on a graceful stop', async () => {
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    const streams = streamNames(12);
    await writer.appendToAll(streams, 2);
    const ledger = createLedger();
    const run = () =>
      createChangeFeedProcessor({
        name: 'mailer',
        monitored: events,
        leases,
        sink: createLedgerSink(ledger),
        ...fastTimings,
      });

    const first = run();
    await first.start();
    await waitUntil('the first run has handled everything', () => ledger.caughtUpWith(writer.next));
    await first.stop();

    await writer.appendToAll(streams, 1);
    const second = run();
    await second.start();
    await waitUntil('the second run has handled the new events', () => ledger.caughtUpWith(writer.next));
    await second.stop();
    expect(ledger.gaps).toEqual([]);
    expect(ledger.stats().duplicates).toBe(0);
  });

  it('starts a lease without a checkpoint from now when asked to, skipping what was written before', async () => {
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    await writer.appendToAll(streamNames(8, 'Old'), 1);
    const ledger = createLedger();
    const processor = createChangeFeedProcessor({
      name: 'live',
      monitored: events,
      leases,
      sink: createLedgerSink(ledger),
      startFrom: 'now',
      ...fastTimings,
    });
    await processor.start();
    // "now" is stored as each lease's checkpoint when the lease is taken, before anything is read
    const checkpoints = await listCheckpoints({ leases, name: 'live' });
    expect(checkpoints).toHaveLength(4);
    expect(checkpoints.filter((checkpoint) => checkpoint.continuation === undefined)).toEqual([]);
    const fresh = streamNames(8, 'New');
    await writer.appendToAll(fresh, 1);
    await waitUntil('the new streams are handled', () =>
      fresh.every((stream) => (ledger.positions.get(stream) ?? 0) === writer.next.get(stream)),
    );
    await processor.stop();
    expect([...ledger.positions.keys()].every((stream) => stream.startsWith('New-'))).toBe(true);
  });
});
