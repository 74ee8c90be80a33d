import type { Json, PartitionKeyDefinition } from './container.ts';
import { badRequest } from './errors.ts';
import { withIndexingDefaults } from './indexing-policy.ts';

/** A resource id (`_rid`): the parent's id bytes followed by this resource's number, in base64 with "-" for "/". */
export function ridOf(prefix: Buffer, value: number): string {
  const bytes = Buffer.alloc(prefix.length + 4);
  prefix.copy(bytes);
  bytes.writeUInt32BE(value, prefix.length);
  return bytes.toString('base64').replace(/\//g, '-');
}

export function ridBytes(rid: string): Buffer {
  return Buffer.from(rid.replace(/-/g, '/'), 'base64');
}

export function changeFeedPolicy(raw: unknown): Json {
  const minutes = (raw as { retentionDuration?: unknown } | null)?.retentionDuration;
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 0) {
    throw badRequest('changeFeedPolicy.retentionDuration must be a whole number of minutes (0 or more).');
  }
  return { retentionDuration: minutes };
}

export function validateResourceId(id: unknown, what: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 255 || /[/\\?#]/.test(id) || id.endsWith(' ')) {
    throw badRequest(`The ${what} id ${JSON.stringify(id)} is invalid: 1–255 characters, none of / \\ ? #.`);
  }
  return id;
}

/** The stored definition of a container created from the request `body` (whose `id` is already checked). */
export function newContainerDefinition(id: string, body: Json): Json {
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
  return {
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
}

const systemProperties = ['_rid', '_self', '_etag', '_ts', '_docs', '_sprocs', '_triggers', '_udfs', '_conflicts'];

export function stripSystem(body: Json): Json {
  const copy = { ...body };
  for (const key of systemProperties) delete copy[key];
  return copy;
}

export function withSystem(body: Json, databaseRid: string, rid: string): Json {
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
