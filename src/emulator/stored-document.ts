import type { PartitionKeyComponent } from './partition-key-hash.ts';

export type Json = Record<string, unknown>;

/**
 * One version of a document. Never mutated once stored, except for `superseded`. Only the serialized form is kept:
 * it is what point reads and the change feed send, and it takes a fraction of the memory of the parsed object
 * (suites push a million documents through one process).
 */
export interface StoredDocument {
  readonly id: string;
  readonly partition: LogicalPartition;
  /** The document as clients see it, system properties included, serialized. */
  readonly json: string;
  readonly etag: string;
  readonly rid: string;
  readonly lsn: number;
  /** Wall-clock write time in ms, non-decreasing per container (change feed "from time"). */
  readonly writtenAt: number;
  /** Set when a newer version (or a delete) replaced this one: its change-feed log entry is then skipped. */
  superseded: boolean;
}

/** All documents sharing one partition key value. */
export interface LogicalPartition {
  readonly key: string;
  readonly components: PartitionKeyComponent[];
  readonly epk: string;
  readonly documents: Map<string, StoredDocument>;
}
