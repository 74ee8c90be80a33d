import { describe, expect, it } from 'vitest';
import { queryWithoutPlan } from '../../../src/feed/planless-query.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';

const cosmos = useTestCosmos({ partitions: 4 });

interface Row {
  id: string;
  group: string;
}

const query = { query: 'SELECT * FROM c WHERE c.group = @group', parameters: [{ name: '@group', value: 'a' }] };

async function seededContainer(name: string) {
  const database = await cosmos.database('planless');
  const { container } = await database.containers.create({ id: name, partitionKey: { paths: ['/id'] } });
  await Promise.all(
    Array.from({ length: 40 }, (_, k) => container.items.create({ id: `row-${k}`, group: k % 2 === 0 ? 'a' : 'b' })),
  );
  await container.items.query('SELECT * FROM c').fetchAll(); // the server's query engine loads on its first query
  return container;
}

const ids = (rows: readonly Row[]) => rows.map((row) => row.id).sort();

describe('a cross-partition query without the query plan', () => {
  it('returns what the SDK returns, in one request where the SDK sends two (the query plan and the query)', async ({
    skip,
  }) => {
    const local = requireLocal(cosmos, { skip });
    const container = await seededContainer('served');
    local.resetMetrics();
    const expected = (await container.items.query<Row>(query).fetchAll()).resources;
    const bySdk = local.metrics();
    local.resetMetrics();
    const rows = await queryWithoutPlan<Row>(container, query);
    const planless = local.metrics();

    expect(ids(rows)).toEqual(ids(expected));
    expect(rows).toHaveLength(20);
    expect(bySdk.byOperation.metadata.requests).toBe(1);
    expect(planless.byOperation.metadata.requests).toBe(0);
    expect(planless.total.requests).toBe(1);
  });

  it('runs the query again the SDK way, plan first, when the gateway refuses it as sent', async ({ skip }) => {
    const local = requireLocal(cosmos, { skip });
    const container = await seededContainer('refused');
    local.resetMetrics();
    local.faults.add({ operation: 'query', status: 400, count: 1 });
    try {
      const rows = await queryWithoutPlan<Row>(container, query);
      expect(ids(rows)).toHaveLength(20);
      expect(local.metrics().faultsInjected['400']).toBe(1);
      expect(local.metrics().byOperation.metadata.requests).toBeGreaterThanOrEqual(1);
    } finally {
      local.faults.clear();
    }
  });
});
