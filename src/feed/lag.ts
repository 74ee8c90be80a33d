import type { Container } from '@azure/cosmos';
import type { EpkRange } from './epk-range.ts';
import { feedContainer } from './feed-container.ts';
import { createLeaseStore } from './lease-store.ts';
import { behindMsOf, countPendingChanges, estimatePendingChanges } from './pending-changes.ts';
import { type StartFrom, startPositionOf } from './start-position.ts';

export interface LagOptions {
  readonly monitored: Container;
  readonly leases: Container;
  /** the processor name */
  readonly name: string;
  /** the processor's `startFrom`, for leases that have no checkpoint yet; default 'beginning' */
  readonly startFrom?: StartFrom;
  /**
   * count the pending changes by reading them (about one request per 1,000 per range) instead of estimating them
   * from LSNs (one request per range); default false
   */
  readonly exact?: boolean;
  /** with `exact`: stop counting a range after this many changes (the count is then a lower bound); default 10,000 */
  readonly maxChangesPerRange?: number;
}

export interface RangeLag {
  readonly leaseId: string;
  readonly feedRange: EpkRange;
  readonly owner: string | undefined;
  /**
   * changes after the checkpoint: estimated from LSNs by default (writes to the range since the oldest pending
   * change, so a document written twice counts twice), counted with `exact` (changed documents). 0 exactly when
   * caught up, either way
   */
  readonly pendingChanges: number;
  /** true when `pendingChanges` is an LSN estimate rather than a count */
  readonly estimated: boolean;
  /** true when counting stopped at `maxChangesPerRange` */
  readonly capped: boolean;
  /** the `_ts` of the oldest change not yet checkpointed */
  readonly oldestPendingAt: Date | undefined;
  /** how old that change is now: how far in time the checkpoint is behind the head; 0 when caught up */
  readonly behindMs: number;
}

/**
 * How far each lease's checkpoint is behind the head of its range. By default one change-feed read of one item
 * per lease, from its checkpoint: the range's newest LSN minus the oldest pending change's LSN (as the .NET
 * estimator does), so an estimate costs the lease listing plus one request per lease, whatever the backlog. With
 * `exact`, the backlog is read and counted (pages of 1,000, capped by `maxChangesPerRange`). `behindMs` is exact
 * either way (the oldest pending change's `_ts`).
 */
export async function estimateLag(options: LagOptions): Promise<RangeLag[]> {
  const monitored = feedContainer(options.monitored);
  const leases = await createLeaseStore(options.leases, options.name).list();
  // Feed ranges are needed only to start a lease that has no checkpoint yet.
  const ranges = leases.some((lease) => lease.continuation === null) ? await monitored.getFeedRanges() : [];
  const maxChanges = options.maxChangesPerRange ?? 10_000;
  return Promise.all(
    leases.map(async (lease): Promise<RangeLag> => {
      const start = await startPositionOf(monitored, lease, options.startFrom ?? 'beginning', ranges);
      const { pendingChanges, capped, oldestPendingAt } = options.exact
        ? await countPendingChanges(monitored, start, maxChanges)
        : await estimatePendingChanges(monitored, start);
      return {
        leaseId: lease.id,
        feedRange: lease.feedRange,
        owner: lease.owner ?? undefined,
        pendingChanges,
        estimated: options.exact !== true,
        capped,
        oldestPendingAt,
        behindMs: behindMsOf(oldestPendingAt),
      };
    }),
  );
}
