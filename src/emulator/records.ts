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
 * One record as a journal line. Documents are embedded as the JSON they are stored as (`b`), so journaling a write
 * costs no serialization beyond the record's envelope.
 */
export function serializeRecord(record: AccountRecord): string {
  if (record.t !== 'w') return JSON.stringify(record);
  const docs = record.docs.map(
    (doc) =>
      `{"k":${JSON.stringify(doc.k)},"id":${JSON.stringify(doc.id)},"b":${doc.json ?? 'null'}${doc.at !== undefined ? `,"at":${doc.at}` : ''}}`,
  );
  const { t, db, c, lsn, now, seq } = record;
  const envelope = JSON.stringify({ t, db, c, lsn, now, seq });
  return `${envelope.slice(0, -1)},"docs":[${docs.join(',')}]}`;
}

export function parseRecord(line: string): AccountRecord {
  const record = JSON.parse(line) as AccountRecord;
  if (record.t !== 'w') return record;
  const docs = record.docs as unknown as { k: PartitionKeyComponent[]; id: string; b: Json | null; at?: number }[];
  return {
    ...record,
    docs: docs.map(({ k, id, b, at }) => ({
      k,
      id,
      json: b === null ? null : JSON.stringify(b),
      ...(at !== undefined ? { at } : {}),
      ...(b !== null ? { etag: b._etag as string, rid: b._rid as string } : {}),
    })),
  };
}

/** Partition key components as journaled: `undefined` ("none") becomes `{}`, which JSON can hold. */
export function journalKey(components: readonly PartitionKeyComponent[]): PartitionKeyComponent[] {
  return components.map((component) => (component === undefined ? ({} as never) : component));
}
