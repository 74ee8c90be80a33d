import type { ChangeFeedStartFrom, Container } from '@azure/cosmos';

export interface PendingChanges {
  /** changed documents after the start position (latest-version feed: a document changed twice counts once) */
  readonly pendingChanges: number;
  /** true when counting stopped at `maxChanges` (the count is then a lower bound) */
  readonly capped: boolean;
  /** the `_ts` of the oldest change counted */
  readonly oldestPendingAt: Date | undefined;
}

const pageSize = 1_000;

/**
 * Counts the changes of `monitored`'s change feed from `start` (a checkpoint's continuation) to the head, reading
 * pages of up to 1,000 and stopping once `maxChanges` are counted: about one change-feed request per 1,000 pending
 * changes, plus one that finds nothing new.
 */
export async function countPendingChanges(
  monitored: Container,
  start: ChangeFeedStartFrom,
  maxChanges: number,
): Promise<PendingChanges> {
  const iterator = monitored.items.getChangeFeedIterator<{ _ts?: number }>({
    changeFeedStartFrom: start,
    maxItemCount: Math.min(pageSize, maxChanges),
  });
  let pendingChanges = 0;
  let oldest: number | undefined;
  while (pendingChanges < maxChanges) {
    const response = await iterator.readNext();
    if (response.statusCode === 304 || response.result.length === 0) break;
    pendingChanges += response.result.length;
    for (const document of response.result) {
      if (typeof document._ts === 'number' && (oldest === undefined || document._ts < oldest)) oldest = document._ts;
    }
  }
  return {
    pendingChanges,
    capped: pendingChanges >= maxChanges,
    oldestPendingAt: oldest === undefined ? undefined : new Date(oldest * 1000),
  };
}

/** How far in time a backlog whose oldest change is `oldestPendingAt` is behind now; 0 when there is none. */
export function behindMsOf(oldestPendingAt: Date | undefined): number {
  return oldestPendingAt === undefined ? 0 : Math.max(0, Date.now() - oldestPendingAt.getTime());
}
