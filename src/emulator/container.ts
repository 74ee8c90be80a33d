import { type ChangeRecord, pruneHistory, retentionMs } from './change-history.ts';
import { badRequest } from './errors.ts';
import {
  effectivePartitionKey,
  effectivePartitionKeyMultiHash,
  type PartitionKeyComponent,
} from './partition-key-hash.ts';
import { initialBoundaries, splitPoint } from './ranges.ts';
import type { Json, LogicalPartition, StoredDocument } from './stored-document.ts';

export type { Json, LogicalPartition, StoredDocument } from './stored-document.ts';

/**
 * A physical partition: an EPK range with its own change-feed log. The log holds document versions in LSN order;
 * superseded versions stay until compaction, so reading a page is a binary search plus a scan of that page.
 */
export interface PhysicalRange {
  readonly id: string;
  readonly min: string;
  readonly max: string;
  readonly parents: string[];
  log: StoredDocument[];
  stale: number;
  /** Every change in LSN order, kept for the retention of the container's change-feed policy (else empty). */
  history: ChangeRecord[];
}

export interface PartitionKeyDefinition {
  paths: string[];
  /** `MultiHash`: a hierarchical key of 2–3 paths (always hash V2). */
  kind: 'Hash' | 'MultiHash';
  version: 1 | 2;
}

/** A fresh parsed copy of the document (callers may keep or change it). */
export function documentBody(document: StoredDocument): Json {
  return JSON.parse(document.json) as Json;
}

function partitionKeyString(components: readonly PartitionKeyComponent[]): string {
  return JSON.stringify(components.map((component) => (component === undefined ? {} : component)));
}

export function firstIndexAfterLsn(log: readonly StoredDocument[], lsn: number): number {
  let low = 0;
  let high = log.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (log[mid]!.lsn <= lsn) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function firstIndexAtOrAfterTime(log: readonly StoredDocument[], time: number): number {
  let low = 0;
  let high = log.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (log[mid]!.writtenAt < time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** State of one container: documents by logical partition, physical ranges with their change-feed logs, the LSN. */
export class ContainerState {
  readonly partitions = new Map<string, LogicalPartition>();
  ranges: PhysicalRange[] = [];
  readonly rangesById = new Map<string, PhysicalRange>();
  /** Ids of ranges that were split away; requests naming them get 410/1002. */
  readonly goneRanges = new Set<string>();
  nextRangeId = 0;
  lsn = 0;
  lastWriteAt = 0;
  documentSequence = 0;
  documentCount = 0;
  /** See `historyStartLsn`. */
  private historySince: number | undefined;
  readonly partitionKey: PartitionKeyDefinition;
  private readonly keyPaths: string[][];

  constructor(
    readonly databaseRid: string,
    readonly rid: string,
    /** The container resource as stored (id, partitionKey, indexingPolicy, … and system properties). */
    public definition: Json,
  ) {
    this.partitionKey = definition.partitionKey as PartitionKeyDefinition;
    this.keyPaths = this.partitionKey.paths.map(parsePath);
  }

  get id(): string {
    return this.definition.id as string;
  }

  /** Creates the initial ranges: `count` ranges of equal width over the hash space of the key version. */
  createRanges(count: number): void {
    const boundaries = initialBoundaries(count, this.partitionKey.version);
    for (let i = 0; i < boundaries.length - 1; i++) {
      this.addRange({ id: String(this.nextRangeId++), min: boundaries[i]!, max: boundaries[i + 1]!, parents: [] });
    }
  }

  addRange(range: { id: string; min: string; max: string; parents: string[] }): PhysicalRange {
    const physical: PhysicalRange = { ...range, log: [], stale: 0, history: [] };
    this.ranges.push(physical);
    this.ranges.sort((a, b) => (a.min < b.min ? -1 : a.min > b.min ? 1 : 0));
    this.rangesById.set(physical.id, physical);
    return physical;
  }

  /** Splits a range at the midpoint of its EPK span into two children that inherit its log. */
  split(rangeId: string, at?: string): [PhysicalRange, PhysicalRange] {
    const parent = this.rangesById.get(rangeId);
    if (!parent) throw badRequest(`Partition key range ${rangeId} does not exist in container ${this.id}.`);
    const middle = at ?? splitPoint(parent.min, parent.max, this.partitionKey.version);
    const parents = [...parent.parents, parent.id];
    const left = this.addRange({ id: String(this.nextRangeId++), min: parent.min, max: middle, parents });
    const right = this.addRange({ id: String(this.nextRangeId++), min: middle, max: parent.max, parents });
    for (const document of parent.log) {
      if (document.superseded) continue;
      (document.partition.epk < middle ? left : right).log.push(document);
    }
    for (const change of parent.history) (change.partition.epk < middle ? left : right).history.push(change);
    this.ranges = this.ranges.filter((range) => range !== parent);
    this.rangesById.delete(parent.id);
    this.goneRanges.add(parent.id);
    return [left, right];
  }

  rangeForEpk(epk: string): PhysicalRange {
    let low = 0;
    let high = this.ranges.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.ranges[mid]!.min <= epk) low = mid;
      else high = mid - 1;
    }
    return this.ranges[low]!;
  }

  /** The partition key value of a document body, by the container's key paths (`undefined` where missing). */
  partitionKeyOf(body: Json): PartitionKeyComponent[] {
    return this.keyPaths.map((segments) => {
      let value: unknown = body;
      for (const segment of segments) {
        if (value === null || typeof value !== 'object') return undefined;
        value = (value as Json)[segment];
      }
      if (value === undefined || value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
        return value as PartitionKeyComponent;
      }
      throw badRequest('The partition key value must be a string, number, boolean or null.');
    });
  }

  partition(components: PartitionKeyComponent[]): LogicalPartition {
    const key = partitionKeyString(components);
    let partition = this.partitions.get(key);
    if (!partition) {
      partition = {
        key,
        components,
        epk: this.epkOf(components),
        documents: new Map(),
      };
      this.partitions.set(key, partition);
    }
    return partition;
  }

  /** The EPK of a key value, or, for a prefix of a hierarchical key, the start of the EPK range it names. */
  epkOf(components: readonly PartitionKeyComponent[]): string {
    return this.partitionKey.kind === 'MultiHash'
      ? effectivePartitionKeyMultiHash(components)
      : effectivePartitionKey(components, this.partitionKey.version);
  }

  findPartition(components: PartitionKeyComponent[]): LogicalPartition | undefined {
    return this.partitions.get(partitionKeyString(components));
  }

  /**
   * The LSN the all-versions history starts after, for a container with a change-feed retention: a continuation
   * before it is outside retention.
   */
  historyStartLsn(): number | undefined {
    if (retentionMs(this.definition) === 0) {
      this.historySince = undefined;
      return undefined;
    }
    this.historySince ??= this.lsn;
    return this.historySince;
  }

  /**
   * Stores the new versions (null = deleted) of one committed write, all at one LSN; `live` (a write, not a replay
   * from the data directory) also records the changes in the all-versions history.
   */
  apply(
    changes: ReadonlyMap<string, { partition: LogicalPartition; id: string; document: StoredDocument | null }>,
    live?: { at: number },
  ) {
    const retention = retentionMs(this.definition);
    const record = live !== undefined && retention > 0;
    if (record) this.historySince ??= this.lsn - 1;
    if (retention === 0 && this.historySince !== undefined) {
      this.historySince = undefined;
      for (const range of this.ranges) range.history = [];
    }
    for (const { partition, id, document } of changes.values()) {
      const previous = partition.documents.get(id);
      if (record && (document || previous)) {
        const operation = !document ? 'delete' : previous ? 'replace' : 'create';
        this.rangeForEpk(partition.epk).history.push({
          lsn: this.lsn,
          at: live.at,
          operation,
          partition,
          id,
          current: document,
          previous,
        });
      }
      if (previous) {
        previous.superseded = true;
        this.rangeForEpk(partition.epk).stale++;
        this.documentCount--;
      }
      if (document) {
        partition.documents.set(id, document);
        this.rangeForEpk(partition.epk).log.push(document);
        this.documentCount++;
      } else {
        partition.documents.delete(id);
      }
    }
    // Only after all changes: a batch may empty a partition with one operation and refill it with the next.
    for (const { partition } of changes.values()) {
      if (partition.documents.size === 0) this.partitions.delete(partition.key);
      else this.partitions.set(partition.key, partition);
    }
    for (const range of this.ranges) {
      this.compact(range);
      if (record) this.historySince = Math.max(this.historySince!, pruneHistory(range.history, live.at - retention));
    }
  }

  /** Drops superseded versions from a log once they outnumber the live ones (amortized O(1) per write). */
  private compact(range: PhysicalRange): void {
    if (range.stale < 1024 || range.stale * 2 < range.log.length) return;
    range.log = range.log.filter((document) => !document.superseded);
    range.stale = 0;
  }

  /** Every live document of the given ranges (all ranges when omitted), optionally narrowed to an EPK window. */
  *documents(scope?: {
    ranges: readonly PhysicalRange[];
    minEpk?: string;
    maxEpk?: string;
  }): Generator<StoredDocument> {
    for (const partition of this.partitions.values()) {
      if (scope) {
        const { epk } = partition;
        if (scope.minEpk !== undefined && epk < scope.minEpk) continue;
        if (scope.maxEpk !== undefined && epk >= scope.maxEpk) continue;
        if (!scope.ranges.some((range) => range.min <= epk && epk < range.max)) continue;
      }
      yield* partition.documents.values();
    }
  }

  nextDocumentRid(): string {
    const bytes = Buffer.alloc(16);
    Buffer.from(this.rid.replace(/-/g, '/'), 'base64').copy(bytes, 0, 0, 8);
    bytes.writeBigUInt64BE(BigInt(++this.documentSequence), 8);
    return bytes.toString('base64').replace(/\//g, '-');
  }
}

function parsePath(path: string): string[] {
  if (!path.startsWith('/')) throw badRequest(`Partition key path ${path} must start with "/".`);
  return path
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/^"(.*)"$/, '$1'));
}
