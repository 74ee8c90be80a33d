import type { Container } from '@azure/cosmos';
import type { EpkRange } from './epk-range.ts';
import { createLeaseStore } from './lease-store.ts';
import { behindMsOf, countPendingChanges } from './pending-changes.ts';
import { type StartFrom, startPositionOf } from './start-position.ts';

export interface LagOptions {
  readonly monitored: Container;
  readonly leases: Container;
  /** the processor name */
  readonly name: string;
  /** the processor's `startFrom`, for leases that have no checkpoint yet; default 'beginning' */
  readonly startFrom?: StartFrom;
  /** stop counting a range after this many changes (the count is then a lower bound); default 10,000 */
  readonly maxChangesPerRange?: number;
}

export interface RangeLag {
  readonly leaseId: string;
  readonly feedRange: EpkRange;
  readonly owner: string | undefined;
  /** changed documents after the checkpoint (latest-version feed: a document changed twice counts once) */
  readonly pendingChanges: number;
  /** true when counting stopped at `maxChangesPerRange` */
  readonly capped: boolean;
  /** the `_ts` of the oldest change not yet checkpointed */
  readonly oldestPendingAt: Date | undefined;
  /** how old that change is now: how far in time the checkpoint is behind the head; 0 when caught up */
  readonly behindMs: number;
}

/**
 * How far each lease's checkpoint is behind the head of its range. It reads the change feed from the checkpoint to
 * the head in pages of 1,000 and counts, so it is exact but costs a read of the backlog (about one change-feed
 * request per 1,000 pending changes per range, plus one that finds nothing new); `maxChangesPerRange` caps it.
 * Comparing LSNs instead would be cheaper but counts every write in the partition, not the changes still to read.
 */
export async function estimateLag(options: LagOptions): Promise<RangeLag[]> {
  const maxChanges = options.maxChangesPerRange ?? 10_000;
  const [leases, ranges] = await Promise.all([
    createLeaseStore(options.leases, options.name).list(),
    options.monitored.getFeedRanges(),
  ]);
  return Promise.all(
    leases.map(async (lease): Promise<RangeLag> => {
      const start = await startPositionOf(options.monitored, lease, options.startFrom ?? 'beginning', ranges);
      const { pendingChanges, capped, oldestPendingAt } = await countPendingChanges(
        options.monitored,
        start,
        maxChanges,
      );
      return {
        leaseId: lease.id,
        feedRange: lease.feedRange,
        owner: lease.owner ?? undefined,
        pendingChanges,
        capped,
        oldestPendingAt,
        behindMs: behindMsOf(oldestPendingAt),
      };
    }),
  );
}
