import type { Container, ItemDefinition, SqlQuerySpec } from '@azure/cosmos';

/** What the SDK's query iterator holds while a query runs; only the one field used here is named. */
interface IteratorWithPlan {
  queryPlanPromise?: unknown;
}

/** Stands in for the query plan that was not fetched; seen only when the gateway asks for a plan. */
class PlanNotFetched extends Error {
  override readonly name = 'PlanNotFetched';
}

/**
 * All results of a query that the gateway serves as sent: a filter with no ORDER BY, aggregate, TOP, OFFSET or
 * DISTINCT, which is all the lease listing asks. For every cross-partition item query the SDK (4.x) asks the
 * gateway for a query plan alongside the query itself, and uses that plan only when the gateway refuses the query
 * (HTTP 400 naming the query's shape) — so a simple query costs two requests where one serves it. Here the plan is
 * not fetched: the iterator is given an answer that stands for "no plan", pages are read with `fetchNext`, and
 * only if the gateway refuses the query is it run again the SDK's usual way (plan first).
 *
 * It relies on the iterator's internal `queryPlanPromise`: where a future SDK no longer has it, the query simply
 * runs the usual way (one request more, same results).
 */
export async function queryWithoutPlan<T extends ItemDefinition>(
  container: Container,
  query: SqlQuerySpec,
): Promise<T[]> {
  const iterator = container.items.query<T>(query);
  const internals = iterator as unknown as IteratorWithPlan;
  if (!('queryPlanPromise' in internals)) return (await iterator.fetchAll()).resources;
  internals.queryPlanPromise = Promise.resolve(new PlanNotFetched());
  const results: T[] = [];
  try {
    while (iterator.hasMoreResults()) results.push(...((await iterator.fetchNext()).resources ?? []));
  } catch (error) {
    if (!(error instanceof PlanNotFetched)) throw error;
    return (await container.items.query<T>(query).fetchAll()).resources;
  }
  return results;
}
