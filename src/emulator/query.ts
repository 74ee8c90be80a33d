// The SQL engine is @zeit/cosmosdb-query (a CommonJS module with a default export); it stays behind this module.
// It is loaded on the first query: it pulls in Babel, which would otherwise dominate the server's start-up time.
import { createRequire } from 'node:module';
import { badRequest, CosmosError } from './errors.ts';

interface CompiledQuery {
  ast: { body?: QueryAst };
  exec(items: unknown[], options: { parameters?: { name: string; value: unknown }[] }): { result: unknown[] };
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

// The engine is an optional peer of the package: a project that queries the local server installs it.
const missingEngine =
  'The local Cosmos DB server answers queries with the optional package @zeit/cosmosdb-query, which is not ' +
  'installed: npm install --save-dev @zeit/cosmosdb-query (with "overrides": { "@babel/traverse": "7.29.0", ' +
  '"@babel/generator": "7.29.0" } in package.json, for CVE-2023-45133).';

function engine(): Compile {
  if (!compileQuery) {
    let loaded: { default?: Compile } | Compile;
    try {
      loaded = createRequire(import.meta.url)('@zeit/cosmosdb-query') as { default?: Compile } | Compile;
    } catch {
      throw new CosmosError(500, missingEngine);
    }
    const candidate = typeof loaded === 'function' ? loaded : loaded.default;
    if (typeof candidate !== 'function')
      throw new CosmosError(
        500,
        'The installed @zeit/cosmosdb-query exports no query compiler; reinstall it (npm install --save-dev @zeit/cosmosdb-query).',
      );
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
    const compile = engine();
    try {
      query = compile(text);
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

/**
 * The clauses the engine lacks, taken off the query text: `SELECT DISTINCT` (the engine runs the query without it,
 * then duplicates are dropped) and a trailing `OFFSET m LIMIT n` (applied to the engine's full, ordered result).
 */
interface Clauses {
  core: string;
  distinct: boolean;
  offset?: number;
  limit?: number;
}

const DISTINCT = /^(\s*SELECT\s+)DISTINCT\s+/i;
const OFFSET_LIMIT = /\s+OFFSET\s+(\d+|@\w+)\s+LIMIT\s+(\d+|@\w+)\s*$/i;

function clausesOf(spec: QuerySpec): Clauses {
  let core = isGlobalQuery(spec) ? spec.query.slice(0, -GLOBAL_MARKER.length) : spec.query;
  const distinct = DISTINCT.test(core);
  if (distinct) core = core.replace(DISTINCT, '$1');
  const window = OFFSET_LIMIT.exec(core);
  if (!window) return { core, distinct };
  const count = (token: string, clause: string): number => {
    const value = token.startsWith('@')
      ? spec.parameters?.find((parameter) => parameter.name === token)?.value
      : Number(token);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw badRequest(`The ${clause} of query "${spec.query}" must be a non-negative integer, not ${String(value)}.`);
    }
    return value;
  };
  return {
    core: core.slice(0, window.index),
    distinct,
    offset: count(window[1]!, 'OFFSET'),
    limit: count(window[2]!, 'LIMIT'),
  };
}

function withoutDuplicates(results: unknown[]): unknown[] {
  const seen = new Set<string>();
  return results.filter((result) => {
    const key = JSON.stringify(result) ?? 'undefined';
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Runs a query over `items` and returns its whole result, in order. */
export function runQuery(spec: QuerySpec, items: unknown[]): unknown[] {
  const clauses = clausesOf(spec);
  const query = compiledQuery(clauses.core);
  let results: unknown[];
  try {
    results = query.exec(items, { parameters: spec.parameters ?? [] }).result;
  } catch (error) {
    throw badRequest(`The query "${spec.query}" failed: ${(error as Error).message}`);
  }
  if (clauses.distinct) results = withoutDuplicates(results);
  if (clauses.offset !== undefined && clauses.limit !== undefined) {
    results = results.slice(clauses.offset, clauses.offset + clauses.limit);
  }
  return results;
}

/** Evaluates a patch condition (`FROM c WHERE …`) against one document. */
export function matchesCondition(condition: string, document: unknown): boolean {
  const text = /^\s*select\b/i.test(condition) ? condition : `SELECT * ${condition}`;
  return runQuery({ query: text }, [document]).length > 0;
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
  const clauses = clausesOf(spec);
  const ast = compiledQuery(clauses.core).ast.body ?? {};
  const global =
    (ast.orderBy?.expressions ?? []).length > 0 ||
    Boolean(ast.top) ||
    containsAggregate(ast.select) ||
    clauses.distinct ||
    clauses.offset !== undefined;
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
