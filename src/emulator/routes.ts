import {
  type ApiRequest,
  feedBody,
  isQueryRequest,
  json,
  methodNotAllowed,
  parseJson,
  type Reply,
  type RequestContext,
} from './api.ts';
import type { ContainerState, Json } from './container.ts';
import { deleteLogicalPartition, documentFeed, documentResource } from './document-routes.ts';
import { CosmosError } from './errors.ts';
import { parseQuerySpec, runQuery } from './query.ts';

// Routing of the REST paths: the account, databases, containers and partition key ranges here; documents in
// document-routes.ts.

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
    const results = runQuery(spec, resources);
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

export function route(context: RequestContext, request: ApiRequest): Reply {
  const { account } = context;
  const [root, databaseId, colls, containerId, child, documentId, ...rest] = request.segments;
  const { verb } = request;
  if (root === undefined) {
    if (verb !== 'GET') throw methodNotAllowed(request);
    return accountReply(context);
  }
  if (root === 'offers' && databaseId === undefined) {
    // Throughput is not emulated: the offers feed is empty (so `readOffer()` finds none).
    if (verb !== 'GET' && verb !== 'POST') throw methodNotAllowed(request);
    return { status: 200, body: feedBody('', 'Offers', []) };
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
  if (child === 'operations' && documentId === 'partitionkeydelete') {
    if (verb !== 'POST') throw methodNotAllowed(request);
    return deleteLogicalPartition(context, request, databaseId, container);
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
