import type { FeedPage, FeedSink, RangeStart } from '../../../src/feed/index.ts';
import type { StreamScheduler } from '../../../src/streams/index.ts';

/**
 * The scheduler as the processor's sink, with the feed's protocol checked on the way: within one ownership of a
 * lease, each stream's documents come in LSN order, across pages and within a page. (Per stream, not per lease:
 * after a split the SDK reads the child ranges one after the other, each in its own LSN order.) A violation is
 * reported, not thrown: the scenario fails on it at the end.
 */
export function checkedSink(scheduler: StreamScheduler, violation: (message: string) => void): FeedSink {
  const lastLsn = new Map<string, Map<string, number>>();
  return {
    ingest(page: FeedPage) {
      let streams = lastLsn.get(page.leaseToken);
      if (streams === undefined) {
        streams = new Map();
        lastLsn.set(page.leaseToken, streams);
      }
      for (const { _lsn: lsn, p: stream } of page.documents) {
        if (typeof lsn !== 'number' || typeof stream !== 'string') continue;
        const last = streams.get(stream) ?? Number.NEGATIVE_INFINITY;
        if (lsn < last)
          violation(`lease ${page.leaseToken}, ${stream}: a document at LSN ${lsn} came after LSN ${last}`);
        streams.set(stream, Math.max(last, lsn));
      }
      return scheduler.ingest(page);
    },
    revoke(leaseToken) {
      lastLsn.delete(leaseToken);
      scheduler.revoke(leaseToken);
    },
    open(leaseToken: string, start: RangeStart) {
      lastLsn.delete(leaseToken);
      scheduler.open(leaseToken, start);
    },
    caughtUp: (leaseToken) => scheduler.caughtUp(leaseToken),
    handled: (leaseToken) => scheduler.handled(leaseToken),
    quiesce: () => scheduler.quiesce(),
  };
}
