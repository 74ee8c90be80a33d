import type { IncomingHttpHeaders } from 'node:http';
import type { AccountState, WrittenDocument } from './account.ts';
import { executeBatch } from './batch.ts';
import { type FeedStart, readChangeFeed } from './change-feed.ts';
import {
  type ContainerState,
  documentJson,
  type Json,
  type LogicalPartition,
  type StoredDocument,
} from './container.ts';
import {
  createDocument,
  deleteDocument,
  patchDocument,
  readDocument,
  replaceDocument,
  upsertDocument,
  type WriteResult,
  WriteSession,
} from './documents.ts';
import { badRequest, CosmosError, rangeGone } from './errors.ts';
import { effectivePartitionKey, type PartitionKeyComponent } from './partition-key-hash.ts';
import { parseQuerySpec, queryPlan, runQuery } from './query.ts';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  documentsRead?: number;
  documentsWritten?: number;
}

export interface RequestContext {
  account: AccountState;
  endpoint(): string;
  journalWrite(container: ContainerState, databaseId: string, docs: WrittenDocument[]): void;
}

export interface ApiRequest {
  verb: string;
  segments: string[];
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Change-feed pages default to this many documents when the client does not say (`x-ms-max-item-count`). */
const DEFAULT_FEED_PAGE = 1000;
const DEFAULT_QUERY_PAGE = 100;

function header(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isTrue(request: ApiRequest, name: string): boolean {
  return header(request, name)?.toLowerCase() === 'true';
}

function json(status: number, value: unknown, extra: Partial<Reply> = {}): Reply {
  return { status, body: JSON.stringify(value), ...extra };
}

function parseJson(request: ApiRequest): unknown {
  if (request.body.length === 0) throw badRequest('The request body is empty; a JSON body is required.');
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

function methodNotAllowed(request: ApiRequest): CosmosError {
  return new CosmosError(405, `${request.verb} is not supported on /${request.segments.join('/')}.`);
}

function pageSize(request: ApiRequest, fallback: number): number {
  const raw = header(request, 'x-ms-max-item-count');
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw badRequest(`x-ms-max-item-count must be an integer, not ${raw}.`);
  return value <= 0 ? fallback : value;
}

function partitionKeyHeader(request: ApiRequest, container: ContainerState): PartitionKeyComponent[] | undefined {
  const raw = header(request, 'x-ms-documentdb-partitionkey');
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest(`The partition key header ${raw} is not valid JSON.`);
  }
  if (!Array.isArray(parsed) || parsed.length !== container.partitionKey.paths.length) {
    throw badRequest(
      `The partition key ${raw} does not match the container's key definition (${container.partitionKey.paths.join(', ')}).`,
    );
  }
  return parsed.map((component: unknown) => {
    if (component !== null && typeof component === 'object' && Object.keys(component).length === 0) return undefined;
    if (component === null || ['string', 'number', 'boolean'].includes(typeof component)) {
      return component as PartitionKeyComponent;
    }
    throw badRequest(`The partition key ${raw} holds a value that cannot be a partition key.`);
  });
}

function requirePartitionKey(request: ApiRequest, container: ContainerState): PartitionKeyComponent[] {
  const key = partitionKeyHeader(request, container);
  if (key === undefined) {
    throw badRequest('PartitionKey value must be supplied for this operation (x-ms-documentdb-partitionkey).');
  }
  return key;
}

function preconditions(request: ApiRequest) {
  return { ifMatch: header(request, 'if-match'), ifNoneMatch: header(request, 'if-none-match') };
}

function documentReply(status: number, document: StoredDocument, extra: Partial<Reply> = {}): Reply {
  return {
    status,
    headers: { etag: document.body._etag as string, lsn: String(document.lsn), 'x-ms-item-lsn': String(document.lsn) },
    body: documentJson(document),
    ...extra,
  };
}

function feedBody(rid: string, listName: string, items: string[]): string {
  return `{"_rid":${JSON.stringify(rid)},"${listName}":[${items.join(',')}],"_count":${items.length}}`;
}

function accountReply(context: RequestContext): Reply {
  const location = { name: 'Local', databaseAccountEndpoint: `${context.endpoint()}/` };
  return json(200, {
    _self: '',
    id: 'tributary-local',
    _rid: '127.0.0.1',
    media: '//media/',
    addresses: '//addresses/',
    _dbs: '//dbs/',
    writableLocations: [location],
    readableLocations: [location],
    enableMultipleWriteLocations: false,
    userReplicationPolicy: { asyncReplication: false, minReplicaSetSize: 1, maxReplicasetSize: 4 },
    userConsistencyPolicy: { defaultConsistencyLevel: 'Session' },
    systemReplicationPolicy: { minReplicaSetSize: 1, maxReplicasetSize: 4 },
    readPolicy: { primaryReadCoefficient: 1, secondaryReadCoefficient: 1 },
    queryEngineConfiguration: JSON.stringify({
      maxSqlQueryInputLength: 262144,
      maxJoinsPerSqlQuery: 5,
      maxLogicalAndPerSqlQuery: 500,
      maxLogicalOrPerSqlQuery: 500,
      maxUdfRefPerSqlQuery: 10,
      maxInExpressionItemsCount: 16000,
      queryMaxInMemorySortDocumentCount: 500,
      maxQueryRequestTimeoutFraction: 0.9,
      sqlAllowNonFiniteNumbers: false,
      sqlAllowAggregateFunctions: true,
      sqlAllowSubQuery: true,
      sqlAllowScalarSubQuery: true,
      allowNewKeywords: true,
      sqlAllowLike: true,
      sqlAllowGroupByClause: true,
      maxSpatialQueryCells: 12,
      spatialMaxGeometryPointCount: 256,
      sqlDisableQueryILOptimization: false,
      sqlDisableFilterPlanOptimization: false,
    }),
  });
}

/** Queries (or lists) a feed of metadata resources: databases or containers. */
function resourceFeed(request: ApiRequest, rid: string, listName: string, resources: Json[]): Reply {
  if (request.verb === 'POST') {
    const spec = parseQuerySpec(parseJson(request));
    const { results } = runQuery(spec, resources, {});
    return {
      status: 200,
      body: feedBody(
        rid,
        listName,
        results.map((result) => JSON.stringify(result)),
      ),
    };
  }
  return {
    status: 200,
    body: feedBody(
      rid,
      listName,
      resources.map((resource) => JSON.stringify(resource)),
    ),
  };
}

function isQueryRequest(request: ApiRequest): boolean {
  return (
    isTrue(request, 'x-ms-documentdb-isquery') ||
    (header(request, 'content-type') ?? '').startsWith('application/query+json')
  );
}

export function route(context: RequestContext, request: ApiRequest): Reply {
  const { account } = context;
  const [root, databaseId, colls, containerId, child, documentId, ...rest] = request.segments;
  const { verb } = request;
  if (root === undefined) {
    if (verb !== 'GET') throw methodNotAllowed(request);
    return accountReply(context);
  }
  if (root !== 'dbs' || rest.length > 0) throw new CosmosError(404, `Unknown resource /${request.segments.join('/')}.`);
  if (databaseId === undefined) {
    if (verb === 'POST' && !isQueryRequest(request)) return json(201, account.createDatabase(parseJson(request)));
    if (verb !== 'GET' && verb !== 'POST') throw methodNotAllowed(request);
    const databases = [...account.databases.values()].map((database) => database.body);
    return resourceFeed(request, '', 'Databases', databases);
  }
  if (colls === undefined) {
    if (verb === 'GET') return json(200, account.database(databaseId).body);
    if (verb === 'DELETE') {
      account.deleteDatabase(databaseId);
      return { status: 204 };
    }
    throw methodNotAllowed(request);
  }
  if (colls !== 'colls') throw new CosmosError(404, `Unknown resource /${request.segments.join('/')}.`);
  if (containerId === undefined) {
    if (verb === 'POST' && !isQueryRequest(request)) {
      return json(201, account.createContainer(databaseId, parseJson(request)));
    }
    if (verb !== 'GET' && verb !== 'POST') throw methodNotAllowed(request);
    const database = account.database(databaseId);
    const containers = [...database.containers.values()].map((container) => container.definition);
    return resourceFeed(request, database.body._rid as string, 'DocumentCollections', containers);
  }
  if (child === undefined) {
    if (verb === 'GET') return json(200, account.container(databaseId, containerId).definition);
    if (verb === 'PUT') return json(200, account.replaceContainer(databaseId, containerId, parseJson(request)));
    if (verb === 'DELETE') {
      account.deleteContainer(databaseId, containerId);
      return { status: 204 };
    }
    throw methodNotAllowed(request);
  }
  const container = account.container(databaseId, containerId);
  if (child === 'pkranges') {
    if (verb !== 'GET') throw methodNotAllowed(request);
    return partitionKeyRanges(container);
  }
  if (child !== 'docs') throw new CosmosError(404, `Unknown resource /${request.segments.join('/')}.`);
  if (documentId === undefined) return documentFeed(context, request, databaseId, container);
  return documentResource(context, request, databaseId, container, documentId);
}

function partitionKeyRanges(container: ContainerState): Reply {
  const ranges = container.ranges.map((range) => ({
    _rid: `${container.rid}${range.id}`,
    id: range.id,
    _etag: `"${container.rid}-${range.id}"`,
    minInclusive: range.min,
    maxExclusive: range.max,
    ridPrefix: Number(range.id),
    _self: `dbs/${container.databaseRid}/colls/${container.rid}/pkranges/${range.id}/`,
    throughputFraction: 1 / container.ranges.length,
    status: 'online',
    parents: range.parents,
    _ts: Math.floor(Date.now() / 1000),
    _lsn: container.lsn,
  }));
  return {
    status: 200,
    headers: { etag: `"${container.rid}-${container.nextRangeId}"` },
    body: feedBody(
      container.rid,
      'PartitionKeyRanges',
      ranges.map((range) => JSON.stringify(range)),
    ),
  };
}

function commitWrite(
  context: RequestContext,
  databaseId: string,
  session: WriteSession,
  result: WriteResult,
  request: ApiRequest,
): Reply {
  const committed = session.commit();
  context.journalWrite(
    session.container,
    databaseId,
    committed.documents.map(({ key, id, body }) => ({ k: key, id, b: body })),
  );
  if (!result.document) return { status: result.status, documentsWritten: 1, headers: { lsn: String(committed.lsn) } };
  const minimal = header(request, 'prefer') === 'return=minimal';
  return documentReply(result.status, result.document, {
    documentsWritten: 1,
    ...(minimal ? { body: '' } : {}),
  });
}

function documentResource(
  context: RequestContext,
  request: ApiRequest,
  databaseId: string,
  container: ContainerState,
  id: string,
): Reply {
  const key = requirePartitionKey(request, container);
  switch (request.verb) {
    case 'GET': {
      const document = readDocument(container, id, key, header(request, 'if-none-match'));
      if (!document) {
        const current = container.findPartition(key)?.documents.get(id);
        return { status: 304, headers: { etag: (current?.body._etag as string) ?? '' } };
      }
      return documentReply(200, document, { documentsRead: 1 });
    }
    case 'PUT': {
      const session = new WriteSession(container);
      const result = replaceDocument(session, id, parseJson(request), key, preconditions(request));
      return commitWrite(context, databaseId, session, result, request);
    }
    case 'DELETE': {
      const session = new WriteSession(container);
      const result = deleteDocument(session, id, key, preconditions(request));
      return commitWrite(context, databaseId, session, result, request);
    }
    case 'PATCH': {
      const session = new WriteSession(container);
      const result = patchDocument(session, id, parseJson(request), key, preconditions(request));
      return commitWrite(context, databaseId, session, result, request);
    }
    default:
      throw methodNotAllowed(request);
  }
}

function documentFeed(
  context: RequestContext,
  request: ApiRequest,
  databaseId: string,
  container: ContainerState,
): Reply {
  if (request.verb === 'GET') {
    if ((header(request, 'a-im') ?? '').toLowerCase() === 'incremental feed') return changeFeed(request, container);
    return query(request, container, { query: 'SELECT * FROM c' });
  }
  if (request.verb !== 'POST') throw methodNotAllowed(request);
  if (isTrue(request, 'x-ms-cosmos-is-query-plan-request')) {
    return json(200, queryPlan(parseQuerySpec(parseJson(request))));
  }
  if (isTrue(request, 'x-ms-cosmos-is-batch-request')) {
    return executeBatch(request, container, {
      headerKey: partitionKeyHeader(request, container),
      atomic: header(request, 'x-ms-cosmos-batch-atomic')?.toLowerCase() !== 'false',
      minimal: header(request, 'prefer') === 'return=minimal',
      journal: (docs) => context.journalWrite(container, databaseId, docs),
      parse: () => parseJson(request),
    });
  }
  if (isQueryRequest(request)) return query(request, container, parseQuerySpec(parseJson(request)));
  const key = requirePartitionKey(request, container);
  const session = new WriteSession(container);
  const result = isTrue(request, 'x-ms-documentdb-is-upsert')
    ? upsertDocument(session, parseJson(request), key, preconditions(request))
    : createDocument(session, parseJson(request), key);
  return commitWrite(context, databaseId, session, result, request);
}

/** The physical ranges a feed or query request addresses: one partition key, one range (maybe narrowed), or all. */
function addressedScope(request: ApiRequest, container: ContainerState) {
  const key = partitionKeyHeader(request, container);
  if (key !== undefined) {
    const partition: LogicalPartition = container.findPartition(key) ?? {
      key: 'absent',
      components: key,
      epk: effectivePartitionKey(key, container.partitionKey.version),
      documents: new Map(),
    };
    return { ranges: [container.rangeForEpk(partition.epk)], partition };
  }
  const rangeId = header(request, 'x-ms-documentdb-partitionkeyrangeid');
  if (rangeId !== undefined) {
    const id = rangeId.includes(',') ? rangeId.slice(rangeId.lastIndexOf(',') + 1) : rangeId;
    const range = container.rangesById.get(id);
    if (!range) {
      if (container.goneRanges.has(id)) throw rangeGone(id);
      throw new CosmosError(404, `Partition key range ${id} does not exist.`);
    }
    const minEpk = header(request, 'x-ms-start-epk');
    const maxEpk = header(request, 'x-ms-end-epk');
    return {
      ranges: [range],
      ...(minEpk !== undefined ? { minEpk } : {}),
      ...(maxEpk !== undefined ? { maxEpk } : {}),
    };
  }
  return { ranges: container.ranges };
}

function feedStart(request: ApiRequest): FeedStart {
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifNoneMatch === '*') return { kind: 'now' };
  if (ifNoneMatch !== undefined && ifNoneMatch !== '') {
    const lsn = Number(ifNoneMatch.replace(/"/g, ''));
    if (!Number.isInteger(lsn) || lsn < 0) throw badRequest(`The change feed continuation ${ifNoneMatch} is invalid.`);
    return { kind: 'continuation', lsn };
  }
  const since = header(request, 'if-modified-since');
  if (since !== undefined) {
    const at = Date.parse(since);
    if (Number.isNaN(at)) throw badRequest(`If-Modified-Since ${since} is not a valid date.`);
    return { kind: 'time', at };
  }
  return { kind: 'beginning' };
}

function changeFeed(request: ApiRequest, container: ContainerState): Reply {
  const scope = addressedScope(request, container);
  const page = readChangeFeed(container, scope, feedStart(request), pageSize(request, DEFAULT_FEED_PAGE));
  const etag = `"${page.continuationLsn}"`;
  // A 304 must carry the etag too: without it the SDK would restart the range from the beginning.
  if (page.documents.length === 0) return { status: 304, headers: { etag, lsn: String(container.lsn) } };
  return {
    status: 200,
    headers: { etag, lsn: String(container.lsn), 'x-ms-item-count': String(page.documents.length) },
    body: feedBody(container.rid, 'Documents', page.documents.map(documentJson)),
    documentsRead: page.documents.length,
  };
}

function query(
  request: ApiRequest,
  container: ContainerState,
  spec: { query: string; parameters?: never[] } | ReturnType<typeof parseQuerySpec>,
): Reply {
  const scope = addressedScope(request, container);
  let items: Json[];
  if ('partition' in scope && scope.partition) {
    items = [...scope.partition.documents.values()].map((document) => document.body);
  } else {
    items = [];
    const all = scope.ranges.length === container.ranges.length && !('minEpk' in scope);
    for (const document of container.documents(all ? undefined : scope)) items.push(document.body);
  }
  const continuation = header(request, 'x-ms-continuation');
  const { results, continuation: next } = runQuery(spec, items, {
    maxItemCount: pageSize(request, DEFAULT_QUERY_PAGE),
    ...(continuation ? { continuation } : {}),
  });
  return {
    status: 200,
    headers: { 'x-ms-item-count': String(results.length), ...(next ? { 'x-ms-continuation': next } : {}) },
    body: feedBody(
      container.rid,
      'Documents',
      results.map((result) => JSON.stringify(result)),
    ),
    documentsRead: results.length,
  };
}
