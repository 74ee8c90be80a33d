import { type ApiRequest, feedBody, header, isTrue, pageSize, type Reply, type RequestContext } from './api.ts';
import { type ContainerState, documentBody, type Json } from './container.ts';
import { isGlobalQuery, type QuerySpec, runQuery } from './query.ts';
import { addressedScope } from './request-scope.ts';

// Document queries: which documents a query runs over, paging through its cursor, and query metrics.

const DEFAULT_QUERY_PAGE = 100;

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

export function query(context: RequestContext, request: ApiRequest, container: ContainerState, spec: QuerySpec): Reply {
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
