import {
  type ContainerState,
  firstIndexAfterLsn,
  firstIndexAtOrAfterTime,
  type LogicalPartition,
  type PhysicalRange,
  type StoredDocument,
} from './container.ts';

/** Where a change-feed read starts. */
export type FeedStart =
  | { kind: 'beginning' }
  | { kind: 'now' }
  | { kind: 'time'; at: number }
  | { kind: 'continuation'; lsn: number };

export interface FeedScope {
  /** The physical ranges read (one when the request names a range, the key's range otherwise). */
  ranges: readonly PhysicalRange[];
  minEpk?: string;
  maxEpk?: string;
  partition?: LogicalPartition | undefined;
}

export interface FeedPage {
  documents: StoredDocument[];
  /** The LSN to continue after (the `etag` of the response). */
  continuationLsn: number;
}

export function inScope(partition: LogicalPartition, scope: FeedScope): boolean {
  if (scope.partition) return partition === scope.partition;
  const { epk } = partition;
  if (scope.minEpk !== undefined && scope.minEpk !== '' && epk < scope.minEpk) return false;
  if (scope.maxEpk !== undefined && scope.maxEpk !== 'FF' && epk >= scope.maxEpk) return false;
  return true;
}

/**
 * Reads one page of the latest-version change feed: live documents in LSN order after the start position. A page
 * never ends inside one LSN (all writes of a transactional batch are delivered together), so it may exceed
 * `maxItemCount` by the rest of that batch. Cost: a binary search plus the entries scanned for this page.
 */
export function readChangeFeed(
  container: ContainerState,
  scope: FeedScope,
  start: FeedStart,
  maxItemCount: number,
): FeedPage {
  if (start.kind === 'now') return { documents: [], continuationLsn: container.lsn };
  const afterLsn = start.kind === 'continuation' ? start.lsn : 0;
  const documents: StoredDocument[] = [];
  const logs = scope.ranges.map((range) => range.log);
  const cursors = logs.map((log) =>
    start.kind === 'time' ? firstIndexAtOrAfterTime(log, start.at) : firstIndexAfterLsn(log, afterLsn),
  );
  let lastLsn = -1;
  for (;;) {
    let best = -1;
    for (let i = 0; i < logs.length; i++) {
      const log = logs[i]!;
      while (
        cursors[i]! < log.length &&
        (log[cursors[i]!]!.superseded || !inScope(log[cursors[i]!]!.partition, scope))
      ) {
        cursors[i]!++;
      }
      const candidate = log[cursors[i]!];
      if (candidate && (best < 0 || candidate.lsn < logs[best]![cursors[best]!]!.lsn)) best = i;
    }
    if (best < 0) break;
    const document = logs[best]![cursors[best]!]!;
    if (documents.length >= maxItemCount && document.lsn !== lastLsn) break;
    documents.push(document);
    lastLsn = document.lsn;
    cursors[best]!++;
  }
  if (documents.length === 0) {
    // Nothing in scope up to the container's LSN: continuing from there loses nothing.
    return { documents, continuationLsn: Math.max(afterLsn, container.lsn) };
  }
  return { documents, continuationLsn: lastLsn };
}
