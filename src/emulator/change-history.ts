import { feedDocumentJson } from './feed-document.ts';
import type { Json, LogicalPartition, StoredDocument } from './stored-document.ts';

// The "all versions and deletes" change feed keeps every change of a container with a change-feed retention
// (`changeFeedPolicy.retentionDuration`, minutes) for that long: creates, replaces and deletes, each with the version
// it replaced. The history starts when the server (or the policy) does: writes replayed from the data directory on
// start are not re-recorded, so a continuation from before a restart is outside retention.

export type ChangeOperation = 'create' | 'replace' | 'delete';

export interface ChangeRecord {
  readonly lsn: number;
  /** Write time in ms (the change's `crts`, in seconds on the wire). */
  readonly at: number;
  readonly operation: ChangeOperation;
  readonly partition: LogicalPartition;
  readonly id: string;
  readonly current: StoredDocument | null;
  readonly previous: StoredDocument | undefined;
}

/** The retention of a container definition in ms; 0 when it keeps no history. */
export function retentionMs(definition: Json): number {
  const minutes = (definition.changeFeedPolicy as { retentionDuration?: unknown } | undefined)?.retentionDuration;
  return typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : 0;
}

/** Drops changes older than the retention from the front of a history; returns the newest LSN dropped (or -1). */
export function pruneHistory(history: ChangeRecord[], cutoffAt: number): number {
  let dropped = 0;
  while (dropped < history.length && history[dropped]!.at < cutoffAt) dropped++;
  if (dropped === 0) return -1;
  const newest = history[dropped - 1]!.lsn;
  history.splice(0, dropped);
  return newest;
}

/** One change as the service sends it in "all versions and deletes" mode (wire format 2021-09-15). */
export function changeJson(change: ChangeRecord, keyPaths: readonly string[]): string {
  const metadata: Json = {
    lsn: change.lsn,
    crts: Math.floor(change.at / 1000),
    operationType: change.operation,
    ...(change.previous ? { previousImageLSN: change.previous.lsn } : {}),
  };
  if (change.operation === 'delete') {
    metadata.timeToLiveExpired = false;
    metadata.id = change.id;
    metadata.partitionKey = Object.fromEntries(
      keyPaths.map((path, i) => [path.replace(/^\//, ''), change.partition.components[i] ?? null]),
    );
  }
  const current = change.current ? feedDocumentJson(change.current) : 'null';
  const previous =
    change.operation === 'delete' && change.previous ? `,"previous":${feedDocumentJson(change.previous)}` : '';
  return `{"current":${current}${previous},"metadata":${JSON.stringify(metadata)}}`;
}

/** One page of the all-versions feed: changes after `afterLsn` in LSN order, never ending inside one LSN. */
export function readHistory(
  histories: readonly (readonly ChangeRecord[])[],
  afterLsn: number,
  maxItemCount: number,
  inScope: (change: ChangeRecord) => boolean,
): ChangeRecord[] {
  const cursors = histories.map((history) => {
    let low = 0;
    let high = history.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (history[mid]!.lsn <= afterLsn) low = mid + 1;
      else high = mid;
    }
    return low;
  });
  const changes: ChangeRecord[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < histories.length; i++) {
      const history = histories[i]!;
      while (cursors[i]! < history.length && !inScope(history[cursors[i]!]!)) cursors[i]!++;
      const candidate = history[cursors[i]!];
      if (candidate && (best < 0 || candidate.lsn < histories[best]![cursors[best]!]!.lsn)) best = i;
    }
    if (best < 0) return changes;
    const change = histories[best]![cursors[best]!]!;
    if (changes.length >= maxItemCount && change.lsn !== changes[changes.length - 1]!.lsn) return changes;
    changes.push(change);
    cursors[best]!++;
  }
}
