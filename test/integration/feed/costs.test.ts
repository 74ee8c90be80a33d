import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { createChangeFeedProcessor, estimateLag, type FeedSink } from '../../../src/feed/index.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { createLedger, createLedgerSink, createWriter, feedContainers, streamNames, waitUntil } from './fixtures.ts';

const cosmos = useTestCosmos({ partitions: 4 });

/** Single-document writes to one stream: one LSN per document, so the LSN estimate equals the count. */
async function writeSingles(events: Container, stream: string, count: number): Promise<void> {
  for (let k = 0; k < count; k += 1) {
    await events.items.create({ id: `single-${k}`, p: stream, i: k, n: k + 1, e: [] });
  }
}

describe('what the change-feed processor costs in requests', () => {
  it('hands the first event of a fresh processor over 4 ranges after at most 10 requests', async ({ skip }) => {
    const local = requireLocal(cosmos, { skip });
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    await writer.appendToAll(streamNames(40), 1);
    await leases.items.query('SELECT * FROM c').fetchAll(); // the server's query engine loads on its first query
    const ledger = createLedger();
    const inner = createLedgerSink(ledger);
    let atFirstPage: number | undefined;
    const sink: FeedSink = {
      ...inner,
      ingest(page) {
        atFirstPage ??= local.metrics().total.requests;
        return inner.ingest(page);
      },
    };
    const processor = createChangeFeedProcessor({ name: 'fresh', monitored: events, leases, sink });
    const before = local.metrics().total.requests;
    await processor.start();
    await waitUntil('every event is handled', () => ledger.caughtUpWith(writer.next));
    await processor.stop();
    // 2 lease listings (one query each, no query plan), the feed ranges, 4 lease creates (the first one owned), the
    // container read and the routing map behind the first iterator, and its first change-feed read
    expect((atFirstPage ?? Number.POSITIVE_INFINITY) - before).toBeLessThanOrEqual(10);
  });

  it('estimates lag from LSNs with one read per lease, and agrees with the exact count on single writes', async ({
    skip,
  }) => {
    const local = requireLocal(cosmos, { skip });
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    await writer.appendToAll(streamNames(20), 1);
    const ledger = createLedger();
    const processor = createChangeFeedProcessor({
      name: 'lagging',
      monitored: events,
      leases,
      sink: createLedgerSink(ledger),
      pollIntervalMs: 20,
      checkpointIntervalMs: 50,
    });
    await processor.start();
    await waitUntil('every event is handled', () => ledger.caughtUpWith(writer.next));
    await processor.stop();
    await writeSingles(events, 'Lag-1', 30);

    const options = { monitored: events, leases, name: 'lagging' };
    await estimateLag(options); // the container's _rid and routing map are read once and kept
    local.resetMetrics();
    const estimated = await estimateLag(options);
    const estimateRequests = local.metrics().total.requests;
    local.resetMetrics();
    const counted = await estimateLag({ ...options, exact: true, maxChangesPerRange: 1_000 });
    const countRequests = local.metrics().total.requests;

    expect(estimated.map((range) => range.pendingChanges)).toEqual(counted.map((range) => range.pendingChanges));
    expect(estimated.reduce((sum, range) => sum + range.pendingChanges, 0)).toBe(30);
    expect(estimated.every((range) => range.estimated)).toBe(true);
    expect(counted.every((range) => !range.estimated)).toBe(true);
    // the lease listing (one query, no query plan) and one change-feed read per lease
    expect(estimateRequests).toBeLessThanOrEqual(estimated.length + 1);
    expect(countRequests).toBeGreaterThan(estimateRequests);
  });

  it('polls an idle range less and less, and renews leases without a checkpoint, within the idle budget', async ({
    skip,
  }) => {
    const local = requireLocal(cosmos, { skip });
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    await writer.appendToAll(streamNames(20), 1);
    const ledger = createLedger();
    // the defaults scaled down 100 times: poll 5 → 80 ms, renew and acquire 150 ms, expiry 450 ms
    const processor = createChangeFeedProcessor({
      name: 'idle',
      monitored: events,
      leases,
      sink: createLedgerSink(ledger),
      pollIntervalMs: 5,
      maxPollIntervalMs: 80,
      leaseTimings: { acquireIntervalMs: 150, renewIntervalMs: 150, expiryMs: 450 },
      checkpointIntervalMs: 50,
    });
    await processor.start();
    await waitUntil('every event is handled', () => ledger.caughtUpWith(writer.next));
    await new Promise((resolve) => setTimeout(resolve, 600)); // backed off to the longest pause
    local.resetMetrics();
    const windowMs = 1_500;
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const { byOperation, total } = local.metrics();
    await processor.stop();
    const ranges = 4;
    // per range over the window: ~19 polls (80 ms), ~10 renewals (150 ms), the acquire cycles' listings shared by the
    // 4 ranges (~5); polling at the shortest pause would cost 300 reads per range
    expect(byOperation.changefeed.requests / ranges).toBeLessThanOrEqual(30);
    expect(total.requests / ranges).toBeLessThanOrEqual(50);
    expect(byOperation.write.requests).toBeGreaterThan(0); // renewals go on while idle
  });
});
