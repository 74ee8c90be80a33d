import type { Json } from './container.ts';
import type { PartitionKeyComponent } from './partition-key-hash.ts';

/** A change to the account, as journaled on disk and replayed on start. */
export type AccountRecord =
  | { t: 'db'; body: Json; rid: number }
  | { t: 'dropdb'; id: string }
  | {
      t: 'coll';
      db: string;
      body: Json;
      rid: number;
      ranges: { id: string; min: string; max: string; parents: string[] }[];
      gone?: string[];
      nextRangeId: number;
      lsn?: number;
      at?: number;
      seq?: number;
    }
  | { t: 'collput'; db: string; body: Json }
  | { t: 'dropcoll'; db: string; id: string }
  | { t: 'split'; db: string; c: string; range: string; at: string }
  | { t: 'w'; db: string; c: string; lsn: number; now: number; seq: number; docs: WrittenDocument[] };

/** A document version as journaled: `json` is the stored document (null for a delete). */
export interface WrittenDocument {
  k: PartitionKeyComponent[];
  id: string;
  json: string | null;
  /** Write time in ms (snapshots only; journal writes use the record's `now`). */
  at?: number;
  etag?: string;
  rid?: string;
}

/**
 * One record as a journal line. A document travels as its stored JSON in a string field (`j`, with its etag `e` and
 * rid `r`), so neither writing nor replaying a journal has to re-serialize or even parse the document.
 */
export function serializeRecord(record: AccountRecord): string {
  if (record.t !== 'w') return JSON.stringify(record);
  const { t, db, c, lsn, now, seq } = record;
  return JSON.stringify({
    t,
    db,
    c,
    lsn,
    now,
    seq,
    docs: record.docs.map(({ k, id, json, etag, rid, at }) => ({ k, id, j: json, e: etag, r: rid, at })),
  });
}

export function parseRecord(line: string): AccountRecord {
  const record = JSON.parse(line) as AccountRecord;
  if (record.t !== 'w') return record;
  const docs = record.docs as unknown as {
    k: PartitionKeyComponent[];
    id: string;
    j: string | null;
    e?: string;
    r?: string;
    at?: number;
  }[];
  return {
    ...record,
    docs: docs.map(({ k, id, j, e, r, at }) => ({
      k,
      id,
      json: j,
      ...(at !== undefined ? { at } : {}),
      ...(e !== undefined ? { etag: e } : {}),
      ...(r !== undefined ? { rid: r } : {}),
    })),
  };
}

/** Partition key components as journaled: `undefined` ("none") becomes `{}`, which JSON can hold. */
export function journalKey(components: readonly PartitionKeyComponent[]): PartitionKeyComponent[] {
  return components.map((component) => (component === undefined ? ({} as never) : component));
}
