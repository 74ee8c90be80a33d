import type { Database } from '@azure/cosmos';
import { ContainerNames } from '../store/index.ts';
import { InvalidQuery } from './dashboard-errors.ts';
import type { QueryPage } from './dashboard-model.ts';
import { requestsOf } from './request-count.ts';

/** Items a query page returns at most. */
export const queryPageSize = 50;
const containers: readonly string[] = Object.values(ContainerNames);

/**
 * Runs one page of a query the operator typed over one of Tributary's containers. Only `SELECT` statements are
 * taken: Cosmos DB's query language cannot change data, and the check keeps the box from being mistaken for more.
 */
export async function queryContainer(
  database: Database,
  container: string,
  sql: string,
  continuation: string | undefined,
): Promise<QueryPage> {
  if (!containers.includes(container)) {
    throw new InvalidQuery(`There is no container "${container}" to query; choose one of ${containers.join(', ')}.`);
  }
  if (!/^\s*select\s/i.test(sql)) {
    throw new InvalidQuery('Only SELECT queries run here (e.g. SELECT * FROM c WHERE c.p = "Account-42").');
  }
  const pages = database
    .container(container)
    .items.query(sql, { maxItemCount: queryPageSize, ...(continuation ? { continuationToken: continuation } : {}) });
  try {
    const page = await pages.fetchNext();
    return {
      container,
      items: page.resources ?? [],
      continuation: page.hasMoreResults ? page.continuationToken : undefined,
      requests: requestsOf(page.diagnostics),
      requestCharge: Math.round((page.requestCharge ?? 0) * 100) / 100,
    };
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code === 400) {
      const first = String(message ?? '').split('\n')[0] ?? '';
      throw new InvalidQuery(`Cosmos DB refused the query on ${container}: ${first}`, { cause: error });
    }
    throw error;
  }
}
