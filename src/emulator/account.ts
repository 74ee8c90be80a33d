import { ContainerState, type Json, type PartitionKeyDefinition, type StoredDocument } from './container.ts';
import { badRequest, conflict, notFound } from './errors.ts';
import { withIndexingDefaults } from './indexing-policy.ts';
import { splitPoint } from './ranges.ts';
import type { AccountRecord, WrittenDocument } from './records.ts';
import { journalKey } from './records.ts';

export interface DatabaseState {
  body: Json;
  containers: Map<string, ContainerState>;
}

function ridOf(prefix: Buffer, value: number): string {
  const bytes = Buffer.alloc(prefix.length + 4);
  prefix.copy(bytes);
  bytes.writeUInt32BE(value, prefix.length);
  return bytes.toString('base64').replace(/\//g, '-');
}

function ridBytes(rid: string): Buffer {
  return Buffer.from(rid.replace(/-/g, '/'), 'base64');
}

function changeFeedPolicy(raw: unknown): Json {
  const minutes = (raw as { retentionDuration?: unknown } | null)?.retentionDuration;
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 0) {
    throw badRequest('changeFeedPolicy.retentionDuration must be a whole number of minutes (0 or more).');
  }
  return { retentionDuration: minutes };
}

function validateResourceId(id: unknown, what: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 255 || /[/\\?#]/.test(id) || id.endsWith(' ')) {
    throw badRequest(`The ${what} id ${JSON.stringify(id)} is invalid: 1–255 characters, none of / \\ ? #.`);
  }
  return id;
}

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
    const requested = (body.partitionKey ?? { paths: ['/id'] }) as Partial<PartitionKeyDefinition>;
    const kind = requested.kind ?? 'Hash';
    if (kind !== 'Hash' && kind !== 'MultiHash') {
      throw badRequest(`Partition key kind ${String(requested.kind)} is not supported; use "Hash" or "MultiHash".`);
    }
    const [fewest, most] = kind === 'MultiHash' ? [2, 3] : [1, 1];
    const paths = requested.paths;
    if (
      !Array.isArray(paths) ||
      paths.length < fewest ||
      paths.length > most ||
      paths.some((path) => typeof path !== 'string')
    ) {
      throw badRequest(
        kind === 'MultiHash'
          ? 'A hierarchical (MultiHash) partition key needs 2 or 3 paths.'
          : 'A Hash partition key needs exactly one path (use kind "MultiHash" for 2 or 3).',
      );
    }
    const version = requested.version ?? 2;
    if (version !== 1 && version !== 2) throw badRequest('The partition key version must be 1 or 2.');
    if (kind === 'MultiHash' && version !== 2) throw badRequest('A hierarchical partition key uses hash version 2.');
    const definition: Json = {
      id,
      indexingPolicy: withIndexingDefaults(body.indexingPolicy),
      partitionKey: { paths, kind, version },
      conflictResolutionPolicy: body.conflictResolutionPolicy ?? {
        mode: 'LastWriterWins',
        conflictResolutionPath: '/_ts',
        conflictResolutionProcedure: '',
      },
      ...(body.defaultTtl !== undefined ? { defaultTtl: body.defaultTtl } : {}),
      ...(body.uniqueKeyPolicy !== undefined ? { uniqueKeyPolicy: body.uniqueKeyPolicy } : {}),
      ...(body.changeFeedPolicy !== undefined ? { changeFeedPolicy: changeFeedPolicy(body.changeFeedPolicy) } : {}),
      geospatialConfig: { type: 'Geography' },
    };
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
  *snapshot(): Generator<AccountRecord> {
    for (const database of this.databases.values()) {
      const rid = ridBytes(database.body._rid as string).readUInt32BE(0);
      yield { t: 'db', body: { id: database.body.id }, rid };
      for (const container of database.containers.values()) {
        yield {
          t: 'coll',
          db: database.body.id as string,
          body: stripSystem(container.definition),
          rid: ridBytes(container.rid).readUInt32BE(4),
          ranges: container.ranges.map(({ id, min, max, parents }) => ({ id, min, max, parents })),
          gone: [...container.goneRanges],
          nextRangeId: container.nextRangeId,
          lsn: container.lsn,
          at: container.lastWriteAt,
          seq: container.documentSequence,
        };
        const documents: StoredDocument[] = [];
        for (const partition of container.partitions.values()) documents.push(...partition.documents.values());
        documents.sort((a, b) => a.lsn - b.lsn);
        for (let i = 0; i < documents.length; ) {
          const lsn = documents[i]!.lsn;
          const docs: WrittenDocument[] = [];
          let now = 0;
          for (; i < documents.length && documents[i]!.lsn === lsn; i++) {
            const document = documents[i]!;
            now = document.writtenAt;
            docs.push({
              k: journalKey(document.partition.components),
              id: document.id,
              json: document.json,
              etag: document.etag,
              rid: document.rid,
              at: document.writtenAt,
            });
          }
          yield {
            t: 'w',
            db: database.body.id as string,
            c: container.id,
            lsn,
            now,
            seq: container.documentSequence,
            docs,
          };
        }
      }
    }
  }
}

function replayWrite(container: ContainerState, lsn: number, now: number, docs: WrittenDocument[]): void {
  const changes = new Map<
    string,
    { partition: ReturnType<ContainerState['partition']>; id: string; document: StoredDocument | null }
  >();
  for (const written of docs) {
    const components = written.k.map((component) =>
      component !== null && typeof component === 'object' ? undefined : component,
    );
    const partition = container.partition(components);
    let document: StoredDocument | null = null;
    if (written.json !== null) {
      const { etag, rid } =
        written.etag !== undefined && written.rid !== undefined
          ? { etag: written.etag, rid: written.rid }
          : (() => {
              const body = JSON.parse(written.json) as Json;
              return { etag: body._etag as string, rid: body._rid as string };
            })();
      document = {
        id: written.id,
        partition,
        // Journals written before `_lsn` left the stored body still carry it last.
        json: written.json.replace(/,"_lsn":\d+}$/, '}'),
        etag,
        rid,
        lsn,
        writtenAt: written.at ?? now,
        superseded: false,
      };
    }
    changes.set(`${partition.key}\u0000${written.id}`, { partition, id: written.id, document });
  }
  container.apply(changes);
  container.lsn = Math.max(container.lsn, lsn);
  container.lastWriteAt = Math.max(container.lastWriteAt, now);
}

const systemProperties = ['_rid', '_self', '_etag', '_ts', '_docs', '_sprocs', '_triggers', '_udfs', '_conflicts'];

function stripSystem(body: Json): Json {
  const copy = { ...body };
  for (const key of systemProperties) delete copy[key];
  return copy;
}

function withSystem(body: Json, databaseRid: string, rid: string): Json {
  return {
    ...stripSystem(body),
    _rid: rid,
    _self: `dbs/${databaseRid}/colls/${rid}/`,
    _etag: `"${rid}-${Date.now().toString(16)}"`,
    _ts: Math.floor(Date.now() / 1000),
    _docs: 'docs/',
    _sprocs: 'sprocs/',
    _triggers: 'triggers/',
    _udfs: 'udfs/',
    _conflicts: 'conflicts/',
  };
}
