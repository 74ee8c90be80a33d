// The SQL engine is @zeit/cosmosdb-query (a CommonJS module with a default export); it stays behind this module.
// It is loaded on the first query: it pulls in Babel, which would otherwise dominate the server's start-up time.
import { createRequire } from 'node:module';
import { badRequest } from './errors.ts';

interface CompiledQuery {
  ast: { body?: QueryAst };
  exec(
    items: unknown[],
    options: {
      parameters?: { name: string; value: unknown }[];
      maxItemCount?: number;
      continuation?: { token: string };
    },
  ): { result: unknown[]; continuation: { token: string } | null };
}

interface QueryAst {
  top?: { value?: { value?: number } } | null;
  select?: { value?: AstNode; properties?: { properties?: { property: AstNode; alias?: { name?: string } }[] } };
  orderBy?: { expressions?: { expression: AstNode; order?: string }[] } | null;
  groupBy?: unknown;
  offset?: unknown;
  limit?: unknown;
}

interface AstNode {
  type?: string;
  name?: { name?: string };
  [key: string]: unknown;
}

type Compile = (text: string) => CompiledQuery;

let compileQuery: Compile | undefined;

function engine(): Compile {
  if (!compileQuery) {
    const loaded = createRequire(import.meta.url)('@zeit/cosmosdb-query') as { default?: Compile } | Compile;
    const candidate = typeof loaded === 'function' ? loaded : loaded.default;
    if (typeof candidate !== 'function') throw new Error('@zeit/cosmosdb-query did not export a query compiler.');
    compileQuery = candidate;
  }
  return compileQuery;
}

export interface QuerySpec {
  query: string;
  parameters?: { name: string; value: unknown }[];
}

const compiled = new Map<string, CompiledQuery>();

function compiledQuery(text: string): CompiledQuery {
  let query = compiled.get(text);
  if (!query) {
    try {
      query = engine()(text);
    } catch (error) {
      throw badRequest(`Syntax error in query "${text}": ${(error as Error).message.split('\n')[0]}`);
    }
    if (compiled.size >= 500) compiled.clear();
    compiled.set(text, query);
  }
  return query;
}

export function parseQuerySpec(body: unknown): QuerySpec {
  const spec = typeof body === 'string' ? { query: body } : (body as Partial<QuerySpec> | null);
  if (!spec || typeof spec.query !== 'string' || spec.query.trim() === '') {
    throw badRequest('The query body needs a "query" string.');
  }
  if (spec.parameters !== undefined && !Array.isArray(spec.parameters)) {
    throw badRequest('The query "parameters" must be an array of { name, value }.');
  }
  return { query: spec.query, parameters: spec.parameters ?? [] };
}

/** Runs a query over `items`; pages with `maxItemCount` and the engine's own continuation tokens. */
export function runQuery(
  spec: QuerySpec,
  items: unknown[],
  page: { maxItemCount?: number; continuation?: string },
): { results: unknown[]; continuation?: string } {
  const query = compiledQuery(spec.query);
  try {
    const { result, continuation } = query.exec(items, {
      parameters: spec.parameters ?? [],
      ...(page.maxItemCount !== undefined && page.maxItemCount > 0 ? { maxItemCount: page.maxItemCount } : {}),
      ...(page.continuation ? { continuation: { token: page.continuation } } : {}),
    });
    return continuation ? { results: result, continuation: continuation.token } : { results: result };
  } catch (error) {
    throw badRequest(`The query "${spec.query}" failed: ${(error as Error).message}`);
  }
}

/** Evaluates a patch condition (`FROM c WHERE …`) against one document. */
export function matchesCondition(condition: string, document: unknown): boolean {
  const text = /^\s*select\b/i.test(condition) ? condition : `SELECT * ${condition}`;
  return runQuery({ query: text }, [document], {}).results.length > 0;
}

const aggregateNames = new Set(['COUNT', 'SUM', 'MIN', 'MAX', 'AVG']);

function containsAggregate(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  const candidate = node as AstNode;
  if (
    candidate.type === 'scalar_function_expression' &&
    aggregateNames.has(candidate.name?.name?.toUpperCase() ?? '')
  ) {
    return true;
  }
  return Object.values(candidate).some(containsAggregate);
}

/**
 * Marks the per-range queries of a query that only makes sense over all ranges at once (ORDER BY, TOP, aggregates).
 * The SDK sends the plan's `rewrittenQuery` to every range; a SQL comment keeps it valid SQL.
 */
const GLOBAL_MARKER = '\n-- tributary-local: evaluated over all ranges by the first one';

export function isGlobalQuery(spec: QuerySpec): boolean {
  return spec.query.endsWith(GLOBAL_MARKER);
}

/**
 * The answer to the SDK's query-plan request. The SDK asks for it up front but only follows it when a query is not
 * served directly (never, here: every query is answered over all ranges at once) or when the caller forces the
 * client-side pipeline (`forceQueryPlan`, `enableQueryControl`). For that pipeline the plan describes a plain
 * parallel query; a query whose result depends on all ranges together (ORDER BY, TOP, aggregates) is marked, and the
 * first range answers it for the whole container while the others answer nothing, so the concatenation the SDK
 * performs is the global result, in order.
 */
export function queryPlan(spec: QuerySpec): Record<string, unknown> {
  const ast = compiledQuery(spec.query).ast.body ?? {};
  const global = (ast.orderBy?.expressions ?? []).length > 0 || Boolean(ast.top) || containsAggregate(ast.select);
  return {
    partitionedQueryExecutionInfoVersion: 2,
    queryInfo: {
      distinctType: 'None',
      top: null,
      offset: null,
      limit: null,
      orderBy: [],
      orderByExpressions: [],
      groupByExpressions: [],
      groupByAliases: [],
      aggregates: [],
      groupByAliasToAggregateType: {},
      rewrittenQuery: global ? `${spec.query}${GLOBAL_MARKER}` : '',
      hasSelectValue: false,
      hasNonStreamingOrderBy: false,
    },
    queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }],
  };
}
