import { ChangeFeedStartFrom, type Container } from '@azure/cosmos';
import { type EpkRange, listCheckpoints, type RangeLag } from '../feed/index.ts';
import { FeedHeadUnknown } from './errors.ts';

/** The change feed's position (LSN) at the head of each feed range, taken when a rebuild was asked to switch over. */
export interface FeedHead {
  readonly range: EpkRange;
  readonly lsn: number;
}

function lsnOf(etag: string | undefined): number | undefined {
  const lsn = Number((etag ?? '').replaceAll('"', ''));
  return etag === undefined || !Number.isSafeInteger(lsn) ? undefined : lsn;
}

/**
 * Reads where the head of every feed range of `monitored` is now: one change-feed request per range, from "now",
 * answered 304 with the range's current position as its etag.
 */
export async function feedHeads(monitored: Container): Promise<FeedHead[]> {
  const ranges = await monitored.getFeedRanges();
  return Promise.all(
    ranges.map(async (range) => {
      const response = await monitored.items
        .getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Now(range) })
        .readNext();
      const lsn = lsnOf(response.headers.etag);
      if (lsn === undefined) throw new FeedHeadUnknown(monitored.id);
      return { range: { minInclusive: range.minInclusive, maxExclusive: range.maxExclusive }, lsn };
    }),
  );
}

const overlaps = (a: EpkRange, b: EpkRange) => a.minInclusive < b.maxExclusive && b.minInclusive < a.maxExclusive;

/**
 * Whether the processor `name`, whose ranges are `lag` behind, has checkpointed every change up to `heads` (the head
 * of the feed when the switch-over was asked): every range has no change pending, or a checkpoint whose position in
 * each of its sub-ranges (several after a split) is at or past the head there. Judging by positions, not by the age
 * of the oldest pending change, keeps a backlog written moments ago from looking caught up, and keeps a steady stream
 * of new writes from holding the switch back forever.
 */
export async function caughtUpTo(
  heads: readonly FeedHead[],
  lag: readonly RangeLag[],
  feed: { readonly leases: Container; readonly name: string },
): Promise<boolean> {
  if (lag.length === 0) return false;
  const pending = lag.filter((range) => range.pendingChanges > 0);
  if (pending.length === 0) return true;
  const checkpoints = await listCheckpoints(feed);
  return pending.every((range) => {
    const positions = checkpoints.find((checkpoint) => checkpoint.leaseId === range.leaseId)?.positions ?? [];
    return (
      positions.length > 0 &&
      positions.every(({ feedRange, position }) => {
        const lsn = lsnOf(position);
        const covering = heads.filter((head) => overlaps(head.range, feedRange)).map((head) => head.lsn);
        return lsn !== undefined && covering.length > 0 && lsn >= Math.max(...covering);
      })
    );
  });
}
