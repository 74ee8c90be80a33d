import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { createChangeFeedProcessor, decideLeases, EpkRange, Lease, listCheckpoints } from '../../../src/feed/index.ts';
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

/**
 * The leases container as one instance sees it while another instance creates leases for the children of a range
 * that has just split: the children's leases land right before this instance's first lease creation (a one-operation
 * batch).
 */
function racedByChildLeases(leases: Container, children: readonly EpkRange[]): Container {
  let raced = false;
  const items = new Proxy(leases.items, {
    get(target, property) {
      if (property === 'batch') {
        return async (...args: Parameters<typeof target.batch>) => {
          if (!raced) {
            raced = true;
            for (const child of children) await target.create(Lease.create('projector', child, new Date()));
          }
          return target.batch(...args);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return new Proxy(leases, {
    get(target, property) {
      if (property === 'items') return items;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('lease creation racing a split', () => {
  it('withdraws a new lease that overlaps leases another instance created meanwhile, so no change is read twice', async () => {
    const { events, leases } = await feedContainers(cosmos);
    const [first] = await events.getFeedRanges();
    if (first === undefined) throw new Error('the container reported no feed ranges');
    const middle = '10';
    expect(first.minInclusive < middle && middle < first.maxExclusive).toBe(true);
    const children = [
      { minInclusive: first.minInclusive, maxExclusive: middle },
      { minInclusive: middle, maxExclusive: first.maxExclusive },
    ];
    // the instance whose first pick is the lease of the range that split: it creates that lease owned by itself,
    // and must still withdraw it (unread) when it finds the children's leases
    const planned = (await events.getFeedRanges()).map((range) => ({
      id: Lease.id('projector', range),
      owner: undefined,
      expired: false,
    }));
    const instanceId = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].find(
      (id) => decideLeases(id, planned, id).acquire[0] === Lease.id('projector', first),
    );
    expect(instanceId).toBeDefined();
    const writer = createWriter(events);
    const streams = streamNames(40);
    await writer.appendToAll(streams, 2);
    const ledger = createLedger();
    const processor = createChangeFeedProcessor({
      name: 'projector',
      monitored: events,
      leases: racedByChildLeases(leases, children),
      sink: createLedgerSink(ledger),
      ...(instanceId === undefined ? {} : { instanceId }),
      ...fastTimings,
    });
    await processor.start();
    await waitUntil('every event is handled', () => ledger.caughtUpWith(writer.next));
    await processor.stop();

    const ranges = (await listCheckpoints({ leases, name: 'projector' })).map((checkpoint) => checkpoint.feedRange);
    expect(ranges).toHaveLength(5);
    for (const [k, range] of ranges.entries()) {
      expect(EpkRange.overlapping([range], ranges.slice(k + 1))).toEqual([]);
    }
    expect(ledger.gaps).toEqual([]);
    expect(ledger.stats().duplicates).toBe(0);
  });
});
