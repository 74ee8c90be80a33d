import { type DatabaseState, replayWrite, snapshotRecords } from './account-records.ts';
import { ContainerState, type Json, type PartitionKeyDefinition } from './container.ts';
import { badRequest, conflict, notFound } from './errors.ts';
import { withIndexingDefaults } from './indexing-policy.ts';
import { splitPoint } from './ranges.ts';
import type { AccountRecord, WrittenDocument } from './records.ts';
import {
  changeFeedPolicy,
  newContainerDefinition,
  ridBytes,
  ridOf,
  stripSystem,
  validateResourceId,
  withSystem,
} from './resource-definitions.ts';

/** Databases and containers of the emulated account; every change goes through `applyRecord` and the journal. */
export class AccountState {
  readonly databases = new Map<string, DatabaseState>();
  private nextRid = 1;

  constructor(
    private readonly defaultPartitions: number,
    private readonly journal: (record: AccountRecord) => void,
  ) {}

  documentCount(): number {
    let count = 0;
    for (const database of this.databases.values()) {
      for (const container of database.containers.values()) count += container.documentCount;
    }
    return count;
  }

  database(id: string): DatabaseState {
    const database = this.databases.get(id);
    if (!database) throw notFound(`Database ${id} does not exist.`);
    return database;
  }

  container(databaseId: string, containerId: string): ContainerState {
    const container = this.database(databaseId).containers.get(containerId);
    if (!container) throw notFound(`Container ${containerId} does not exist in database ${databaseId}.`);
    return container;
  }

  createDatabase(raw: unknown): Json {
    const id = validateResourceId((raw as Json | null)?.id, 'database');
    if (this.databases.has(id)) throw conflict(`Database ${id} already exists.`);
    const rid = this.nextRid++;
    return this.commit({ t: 'db', body: { id }, rid }).body;
  }

  deleteDatabase(id: string): void {
    this.database(id);
    this.commit({ t: 'dropdb', id });
  }

  createContainer(databaseId: string, raw: unknown): Json {
    const database = this.database(databaseId);
    const body = (raw ?? {}) as Json;
    const id = validateResourceId(body.id, 'container');
    if (database.containers.has(id)) throw conflict(`Container ${id} already exists in database ${databaseId}.`);
    const definition = newContainerDefinition(id, body);
    const probe = new ContainerState('', 'AAAAAAAAAAA=', definition);
    probe.createRanges(this.defaultPartitions);
    const ranges = probe.ranges.map(({ id, min, max, parents }) => ({ id, min, max, parents }));
    const rid = this.nextRid++;
    return this.commit({ t: 'coll', db: databaseId, body: definition, rid, ranges, nextRangeId: ranges.length })
      .definition;
  }

  replaceContainer(databaseId: string, containerId: string, raw: unknown): Json {
    const container = this.container(databaseId, containerId);
    const body = (raw ?? {}) as Json;
    if (body.id !== containerId) throw badRequest('The container id in the body does not match the URL.');
    const current = container.partitionKey;
    const requested = body.partitionKey as Partial<PartitionKeyDefinition> | undefined;
    if (requested && JSON.stringify(requested.paths) !== JSON.stringify(current.paths)) {
      throw badRequest('The partition key of a container cannot change.');
    }
    const definition: Json = {
      ...container.definition,
      ...body,
      ...(body.changeFeedPolicy !== undefined ? { changeFeedPolicy: changeFeedPolicy(body.changeFeedPolicy) } : {}),
      indexingPolicy: withIndexingDefaults(body.indexingPolicy ?? container.definition.indexingPolicy),
      partitionKey: current,
    };
    this.commit({ t: 'collput', db: databaseId, body: stripSystem(definition) });
    return container.definition;
  }

  deleteContainer(databaseId: string, containerId: string): void {
    this.container(databaseId, containerId);
    this.commit({ t: 'dropcoll', db: databaseId, id: containerId });
  }

  split(databaseId: string, containerId: string, rangeId?: string): [string, string] {
    const container = this.container(databaseId, containerId);
    const range = rangeId ?? container.ranges[0]!.id;
    if (!container.rangesById.has(range)) {
      throw notFound(`Partition key range ${range} does not exist in ${databaseId}/${containerId}.`);
    }
    const before = container.nextRangeId;
    const { min, max } = container.rangesById.get(range)!;
    let at: string;
    try {
      at = splitPoint(min, max, container.partitionKey.version);
    } catch (error) {
      throw badRequest(`Range ${range} of ${databaseId}/${containerId} cannot be split: ${(error as Error).message}`);
    }
    this.commit({ t: 'split', db: databaseId, c: containerId, range, at });
    return [String(before), String(before + 1)];
  }

  /** Journals a committed document write (already applied by its WriteSession). */
  recordWrite(container: ContainerState, databaseId: string, docs: WrittenDocument[]): void {
    this.journal({
      t: 'w',
      db: databaseId,
      c: container.id,
      lsn: container.lsn,
      now: container.lastWriteAt,
      seq: container.documentSequence,
      docs,
    });
  }

  private commit(record: AccountRecord): { body: Json; definition: Json } {
    const result = this.applyRecord(record);
    this.journal(record);
    return result ?? { body: {}, definition: {} };
  }

  /** Applies a record to the in-memory state (live, and when replaying the journal on start). */
  applyRecord(record: AccountRecord): { body: Json; definition: Json } | undefined {
    switch (record.t) {
      case 'db': {
        const id = record.body.id as string;
        const rid = ridOf(Buffer.alloc(0), record.rid);
        const body: Json = {
          id,
          _rid: rid,
          _self: `dbs/${rid}/`,
          _etag: `"${rid}"`,
          _colls: 'colls/',
          _users: 'users/',
          _ts: Math.floor(Date.now() / 1000),
        };
        this.nextRid = Math.max(this.nextRid, record.rid + 1);
        this.databases.set(id, { body, containers: new Map() });
        return { body, definition: body };
      }
      case 'dropdb':
        this.databases.delete(record.id);
        return undefined;
      case 'coll': {
        const database = this.database(record.db);
        const databaseRid = database.body._rid as string;
        const rid = ridOf(ridBytes(databaseRid), record.rid);
        const definition = withSystem(record.body, databaseRid, rid);
        const container = new ContainerState(databaseRid, rid, definition);
        for (const range of record.ranges) container.addRange(range);
        for (const gone of record.gone ?? []) container.goneRanges.add(gone);
        container.nextRangeId = record.nextRangeId;
        container.lsn = record.lsn ?? 0;
        container.lastWriteAt = record.at ?? 0;
        container.documentSequence = record.seq ?? 0;
        this.nextRid = Math.max(this.nextRid, record.rid + 1);
        database.containers.set(record.body.id as string, container);
        return { body: definition, definition };
      }
      case 'collput': {
        const container = this.container(record.db, record.body.id as string);
        container.definition = withSystem(record.body, container.databaseRid, container.rid);
        return undefined;
      }
      case 'dropcoll':
        this.database(record.db).containers.delete(record.id);
        return undefined;
      case 'split':
        this.container(record.db, record.c).split(record.range, record.at);
        return undefined;
      case 'w': {
        const container = this.container(record.db, record.c);
        replayWrite(container, record.lsn, record.now, record.docs);
        container.documentSequence = Math.max(container.documentSequence, record.seq);
        return undefined;
      }
    }
  }

  /** The whole state as records (a snapshot), documents in LSN order per container. */
  snapshot(): Generator<AccountRecord> {
    return snapshotRecords(this.databases.values());
  }
}
