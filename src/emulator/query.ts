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

function aggregateOf(node: AstNode | undefined): string | undefined {
  if (node?.type !== 'scalar_function_expression') return undefined;
  const name = node.name?.name?.toUpperCase();
  return name && aggregateNames.has(name) ? name[0] + name.slice(1).toLowerCase() : undefined;
}

/**
 * The answer to the SDK's query-plan request: what the query needs from a cross-partition pipeline. The gateway here
 * serves every query directly (over all ranges at once, so ORDER BY, TOP and aggregates are already global), so the
 * plan only has to be accurate enough for the SDK to accept it; the query itself goes out unrewritten.
 */
export function queryPlan(spec: QuerySpec): Record<string, unknown> {
  const ast = compiledQuery(spec.query).ast.body ?? {};
  const orderBy = ast.orderBy?.expressions ?? [];
  const selectValue = ast.select?.value;
  const aggregates = [aggregateOf(selectValue)].filter((name): name is string => name !== undefined);
  return {
    partitionedQueryExecutionInfoVersion: 2,
    queryInfo: {
      distinctType: 'None',
      top: ast.top?.value?.value ?? null,
      offset: null,
      limit: null,
      orderBy: orderBy.map((expression) => (expression.order === 'DESC' ? 'Descending' : 'Ascending')),
      orderByExpressions: [],
      groupByExpressions: [],
      groupByAliases: [],
      aggregates,
      groupByAliasToAggregateType: {},
      rewrittenQuery: '',
      hasSelectValue: selectValue !== undefined,
      hasNonStreamingOrderBy: false,
    },
    queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }],
  };
}
