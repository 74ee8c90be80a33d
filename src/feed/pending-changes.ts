import type { ChangeFeedStartFrom, Container } from '@azure/cosmos';

export interface PendingChanges {
  /**
   * counted: changed documents after the start position (latest-version feed: a document changed twice counts
   * once); estimated: writes to the range from the oldest pending change to its newest LSN
   */
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

/**
 * Estimates the changes of `monitored`'s change feed from `start` to the head with one change-feed read of one
 * item, as the .NET SDK's estimator does: nothing new (304) means none pending; otherwise the range's newest LSN
 * (the end of the response's session token, `<range>:<version>#<lsn>`) minus the `_lsn` of the oldest pending
 * change, plus one. It counts writes (a document written twice counts twice, deletes count), and after a split
 * only the first child range read. Always at least 1 when a change is pending.
 */
export async function estimatePendingChanges(
  monitored: Container,
  start: ChangeFeedStartFrom,
): Promise<PendingChanges> {
  const iterator = monitored.items.getChangeFeedIterator<{ _ts?: number; _lsn?: number }>({
    changeFeedStartFrom: start,
    maxItemCount: 1,
  });
  const response = await iterator.readNext();
  const oldest = response.result[0];
  if (response.statusCode === 304 || oldest === undefined) {
    return { pendingChanges: 0, capped: false, oldestPendingAt: undefined };
  }
  const head = newestLsnOf(response.sessionToken);
  const first = typeof oldest._lsn === 'number' ? oldest._lsn : undefined;
  const pendingChanges = head === undefined || first === undefined ? 1 : Math.max(1, head - first + 1);
  return {
    pendingChanges,
    capped: false,
    oldestPendingAt: typeof oldest._ts === 'number' ? new Date(oldest._ts * 1000) : undefined,
  };
}

/** The LSN a session token ends with: `"0:-1#123"` → 123 (a multi-region token `"0:-1#123#1=120"` → 123). */
export function newestLsnOf(sessionToken: string | undefined): number | undefined {
  const lsn = Number(sessionToken?.split(':').at(-1)?.split('#')[1]);
  return Number.isSafeInteger(lsn) && lsn >= 0 ? lsn : undefined;
}
