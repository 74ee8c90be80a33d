import {
  type ApiRequest,
  feedBody,
  header,
  isQueryRequest,
  isTrue,
  json,
  methodNotAllowed,
  pageSize,
  parseJson,
  partitionKeyHeader,
  preconditions,
  type Reply,
  type RequestContext,
  requirePartitionKey,
} from './api.ts';
import { executeBatch } from './batch.ts';
import { type FeedStart, inScope, readChangeFeed } from './change-feed.ts';
import { changeJson, readHistory } from './change-history.ts';
import {
  type ContainerState,
  documentBody,
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
import { isGlobalQuery, parseQuerySpec, type QuerySpec, queryPlan, runQuery } from './query.ts';

/** Change-feed pages default to this many documents when the client does not say (`x-ms-max-item-count`). */
const DEFAULT_FEED_PAGE = 1000;
const DEFAULT_QUERY_PAGE = 100;

function documentReply(status: number, document: StoredDocument, extra: Partial<Reply> = {}): Reply {
  return {
    status,
    headers: { etag: document.etag, lsn: String(document.lsn), 'x-ms-item-lsn': String(document.lsn) },
    body: document.json,
    ...extra,
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
  context.journalWrite(session.container, databaseId, committed.documents);
  if (!result.document) return { status: result.status, documentsWritten: 1, headers: { lsn: String(committed.lsn) } };
  const minimal = header(request, 'prefer') === 'return=minimal';
  return documentReply(result.status, result.document, {
    documentsWritten: 1,
    ...(minimal ? { body: '' } : {}),
  });
}

export function documentResource(
  context: RequestContext,
  request: ApiRequest,
  databaseId: string,
  container: ContainerState,
  id: string,
): Reply {
  const key = requirePartitionKey(request, container);
  switch (request.verb) {
    case 'GET': {
      const { document, notModified } = readDocument(container, id, key, header(request, 'if-none-match'));
      if (notModified) return { status: 304, headers: { etag: document.etag } };
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

/** `deleteAllItemsForPartitionKey`: every document of one logical partition goes, at one LSN. */
export function deleteLogicalPartition(
  context: RequestContext,
  request: ApiRequest,
  databaseId: string,
  container: ContainerState,
): Reply {
  const key = requirePartitionKey(request, container);
  const partition = container.findPartition(key);
  if (!partition) return { status: 200 };
  const session = new WriteSession(container);
  for (const id of [...partition.documents.keys()]) session.remove(partition, id);
  const committed = session.commit();
  context.journalWrite(container, databaseId, committed.documents);
  return { status: 200, documentsWritten: committed.documents.length };
}

export function documentFeed(
  context: RequestContext,
  request: ApiRequest,
  databaseId: string,
  container: ContainerState,
): Reply {
  if (request.verb === 'GET') {
    const aIm = header(request, 'a-im');
    if (aIm !== undefined) {
      if (aIm.toLowerCase() === 'incremental feed') return changeFeed(request, container);
      if (aIm.toLowerCase() === 'full-fidelity feed') return allVersionsFeed(request, container);
      throw badRequest(`Change feed mode A-IM: ${aIm} is neither "Incremental feed" nor "Full-Fidelity Feed".`);
    }
    return query(context, request, container, { query: 'SELECT * FROM c' });
  }
  if (request.verb !== 'POST') throw methodNotAllowed(request);
  if (isTrue(request, 'x-ms-cosmos-is-query-plan-request')) {
    return json(200, queryPlan(parseQuerySpec(parseJson(request))));
  }
  if (isTrue(request, 'x-ms-cosmos-is-batch-request')) {
    const headerKey = partitionKeyHeader(request, container);
    const atomic = header(request, 'x-ms-cosmos-batch-atomic')?.toLowerCase() !== 'false';
    // A transactional batch is scoped to one logical partition, named by the request header (the SDK always sends it).
    if (atomic && headerKey === undefined) {
      throw badRequest('A transactional batch needs its partition key in x-ms-documentdb-partitionkey.');
    }
    return executeBatch(request, container, {
      headerKey,
      atomic,
      minimal: header(request, 'prefer') === 'return=minimal',
      journal: (docs) => context.journalWrite(container, databaseId, docs),
      parse: () => parseJson(request),
    });
  }
  if (isQueryRequest(request)) return query(context, request, container, parseQuerySpec(parseJson(request)));
  const key = requirePartitionKey(request, container);
  const session = new WriteSession(container);
  const result = isTrue(request, 'x-ms-documentdb-is-upsert')
    ? upsertDocument(session, parseJson(request), key, preconditions(request))
    : createDocument(session, parseJson(request), key);
  return commitWrite(context, databaseId, session, result, request);
}

/** The physical ranges a feed or query request addresses: one partition key, one range (maybe narrowed), or all. */
function addressedScope(request: ApiRequest, container: ContainerState) {
  const key = partitionKeyHeader(request, container, { allowPrefix: true });
  if (key !== undefined && key.length < container.partitionKey.paths.length) {
    // A prefix of a hierarchical key: every partition whose EPK starts with the prefix's.
    const minEpk = container.epkOf(key);
    const maxEpk = `${minEpk}FF`;
    return { ranges: container.ranges.filter((range) => range.min < maxEpk && minEpk < range.max), minEpk, maxEpk };
  }
  if (key !== undefined) {
    const partition: LogicalPartition = container.findPartition(key) ?? {
      key: 'absent',
      components: key,
      epk: container.epkOf(key),
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

/** The service adds `_lsn` to documents only in change-feed results. */
function withLsn(document: StoredDocument): string {
  return `${document.json.slice(0, -1)},"_lsn":${document.lsn}}`;
}

function changeFeed(request: ApiRequest, container: ContainerState): Reply {
  const scope = addressedScope(request, container);
  const page = readChangeFeed(
    container,
    scope,
    feedStart(request),
    pageSize(request, DEFAULT_FEED_PAGE, DEFAULT_FEED_PAGE),
  );
  const headers = {
    etag: `"${page.continuationLsn}"`,
    lsn: String(container.lsn),
    ...(scope.ranges.length === 1 ? { 'x-ms-documentdb-partitionkeyrangeid': scope.ranges[0]!.id } : {}),
  };
  // A 304 must carry the etag too: without it the SDK would restart the range from the beginning.
  if (page.documents.length === 0) return { status: 304, headers };
  return {
    status: 200,
    headers: { ...headers, 'x-ms-item-count': String(page.documents.length) },
    body: feedBody(container.rid, 'Documents', page.documents.map(withLsn)),
    documentsRead: page.documents.length,
  };
}

/** The "all versions and deletes" change feed: every change kept by the container's retention, from now or later. */
function allVersionsFeed(request: ApiRequest, container: ContainerState): Reply {
  const since = container.historyStartLsn();
  if (since === undefined) {
    throw badRequest(
      `The all versions and deletes change feed of container ${container.id} needs a change feed policy with a retention (changeFeedPolicy.retentionDuration in minutes).`,
    );
  }
  const scope = addressedScope(request, container);
  const start = feedStart(request);
  if (start.kind === 'beginning' || start.kind === 'time') {
    throw badRequest(
      'The all versions and deletes change feed starts only from now or from a continuation, not from the beginning or a point in time.',
    );
  }
  const afterLsn = start.kind === 'now' ? container.lsn : start.lsn;
  if (afterLsn < since) {
    throw badRequest(
      `The change feed continuation at LSN ${afterLsn} is outside the retention of container ${container.id} (changes are kept from LSN ${since + 1}): start from now.`,
    );
  }
  const changes = readHistory(
    scope.ranges.map((range) => range.history),
    afterLsn,
    pageSize(request, DEFAULT_FEED_PAGE, DEFAULT_FEED_PAGE),
    (change) => inScope(change.partition, scope),
  );
  const continuationLsn = changes.length > 0 ? changes[changes.length - 1]!.lsn : Math.max(afterLsn, container.lsn);
  const headers = {
    etag: `"${continuationLsn}"`,
    lsn: String(container.lsn),
    ...(scope.ranges.length === 1 ? { 'x-ms-documentdb-partitionkeyrangeid': scope.ranges[0]!.id } : {}),
  };
  if (changes.length === 0) return { status: 304, headers };
  const keyPaths = container.partitionKey.paths;
  return {
    status: 200,
    headers: { ...headers, 'x-ms-item-count': String(changes.length) },
    body: feedBody(
      container.rid,
      'Documents',
      changes.map((change) => changeJson(change, keyPaths)),
    ),
    documentsRead: changes.length,
  };
}

/** The documents a query runs over: one partition, one range (maybe EPK-narrowed), or the whole container. */
function queryItems(request: ApiRequest, container: ContainerState, spec: QuerySpec): Json[] | 'nothing' {
  const scope = addressedScope(request, container);
  if ('partition' in scope && scope.partition) return [...scope.partition.documents.values()].map(documentBody);
  const narrowed = 'minEpk' in scope || 'maxEpk' in scope;
  if (isGlobalQuery(spec)) {
    const start = 'minEpk' in scope ? scope.minEpk : scope.ranges[0]!.min;
    if (scope.ranges.length === 1 && start !== '') return 'nothing';
  } else if (scope.ranges.length !== container.ranges.length || narrowed) {
    return [...container.documents(scope)].map(documentBody);
  }
  return [...container.documents()].map(documentBody);
}

/** What a query's cursor belongs to: the container, the addressed scope, the text and the parameters. */
function queryIdentity(request: ApiRequest, container: ContainerState, spec: QuerySpec): string {
  const scope = [
    'x-ms-documentdb-partitionkey',
    'x-ms-documentdb-partitionkeyrangeid',
    'x-ms-start-epk',
    'x-ms-end-epk',
  ]
    .map((name) => header(request, name) ?? '')
    .join('|');
  return `${container.rid}|${scope}|${spec.query}|${JSON.stringify(spec.parameters ?? [])}`;
}

/** The service's `x-ms-documentdb-query-metrics`: `name=value` pairs joined by `;` (times in ms). */
function queryMetrics(retrieved: Json[] | undefined, results: unknown[], elapsedMs: number): string {
  const bytes = (values: readonly unknown[]) =>
    values.reduce<number>((sum, value) => sum + JSON.stringify(value).length, 0);
  const metrics: Record<string, number> = {
    totalExecutionTimeInMs: elapsedMs,
    queryCompileTimeInMs: 0,
    queryLogicalPlanBuildTimeInMs: 0,
    queryPhysicalPlanBuildTimeInMs: 0,
    queryOptimizationTimeInMs: 0,
    VMExecutionTimeInMs: elapsedMs,
    indexLookupTimeInMs: 0,
    documentLoadTimeInMs: 0,
    systemFunctionExecuteTimeInMs: 0,
    userFunctionExecuteTimeInMs: 0,
    retrievedDocumentCount: retrieved?.length ?? 0,
    retrievedDocumentSize: retrieved ? bytes(retrieved) : 0,
    outputDocumentCount: results.length,
    outputDocumentSize: bytes(results),
    writeOutputTimeInMs: 0,
    indexUtilizationRatio: 0,
  };
  return Object.entries(metrics)
    .map(([name, value]) => `${name}=${Number.isInteger(value) ? value : value.toFixed(2)}`)
    .join(';');
}

function query(context: RequestContext, request: ApiRequest, container: ContainerState, spec: QuerySpec): Reply {
  const started = performance.now();
  let retrieved: Json[] | undefined;
  const page = context.queryCursors.page(
    queryIdentity(request, container, spec),
    header(request, 'x-ms-continuation'),
    // -1 asks for everything in one page.
    pageSize(request, DEFAULT_QUERY_PAGE, -1),
    () => {
      const items = queryItems(request, container, spec);
      if (items === 'nothing') return [];
      retrieved = items;
      return runQuery(spec, items);
    },
  );
  const { results, continuation } = page;
  const metrics: Record<string, string> = isTrue(request, 'x-ms-documentdb-populatequerymetrics')
    ? { 'x-ms-documentdb-query-metrics': queryMetrics(retrieved, results, performance.now() - started) }
    : {};
  return {
    status: 200,
    headers: {
      'x-ms-item-count': String(results.length),
      ...(continuation ? { 'x-ms-continuation': continuation } : {}),
      ...metrics,
    },
    body: feedBody(
      container.rid,
      'Documents',
      results.map((result) => JSON.stringify(result)),
    ),
    documentsRead: results.length,
  };
}
