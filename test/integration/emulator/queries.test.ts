import type { Container } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshEventsContainer } from '../../support/containers.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { rest } from './rest.ts';

const cosmos = useTestCosmos({ partitions: 3 });
let container: Container;
let databaseId: string;

beforeAll(async () => {
  const fresh = await freshEventsContainer(cosmos, 'queries');
  databaseId = fresh.database.id;
  container = fresh.container;
  const operations = Array.from({ length: 30 }, (_, i) => ({
    operationType: 'Create' as const,
    resourceBody: { id: String(i), p: 'Stream-1', i, kind: i % 2 === 0 ? 'even' : 'odd' },
  }));
  for (let start = 0; start < operations.length; start += 10) {
    await container.items.batch(operations.slice(start, start + 10), 'Stream-1');
  }
  for (let s = 2; s <= 21; s++) await container.items.create({ id: '0', p: `Stream-${s}`, i: 100 + s, kind: 'other' });
});

describe('queries', () => {
  it('orders descending inside one partition', async () => {
    const { resources } = await container.items
      .query(
        {
          query: 'SELECT VALUE c.i FROM c WHERE c.p = @p ORDER BY c.i DESC',
          parameters: [{ name: '@p', value: 'Stream-1' }],
        },
        { partitionKey: 'Stream-1' },
      )
      .fetchAll();
    expect(resources).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i));
  });

  it('pages with maxItemCount and continuation tokens, losing and repeating nothing', async () => {
    const iterator = container.items.query('SELECT * FROM c WHERE c.p = "Stream-1" ORDER BY c.i DESC', {
      partitionKey: 'Stream-1',
      maxItemCount: 7,
    });
    const pages: number[][] = [];
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      if (resources.length > 0) pages.push(resources.map((document: { i: number }) => document.i));
    }
    expect(pages[0]).toHaveLength(7);
    expect(pages.flat()).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i));
  });

  it('answers maxItemCount -1 with every result in one page', async () => {
    const page = await container.items.query('SELECT * FROM c', { maxItemCount: -1 }).fetchNext();
    expect(page.resources).toHaveLength(50);
  });

  it('resumes a query from a continuation token', async () => {
    const first = await container.items
      .query('SELECT * FROM c WHERE c.p = "Stream-1" ORDER BY c.i', { partitionKey: 'Stream-1', maxItemCount: 10 })
      .fetchNext();
    expect(first.continuationToken).toBeDefined();
    const rest = await container.items
      .query('SELECT * FROM c WHERE c.p = "Stream-1" ORDER BY c.i', {
        partitionKey: 'Stream-1',
        maxItemCount: 100,
        continuationToken: first.continuationToken!,
      })
      .fetchNext();
    expect(rest.resources.map((document: { i: number }) => document.i)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 10),
    );
  });

  it('queries across partitions', async () => {
    const { resources } = await container.items
      .query('SELECT VALUE c.p FROM c WHERE c.kind = "other" ORDER BY c.i')
      .fetchAll();
    expect(resources).toEqual(Array.from({ length: 20 }, (_, i) => `Stream-${i + 2}`));
  });

  it('counts with SELECT VALUE COUNT(1), in one partition and across all', async () => {
    const inOne = await container.items.query('SELECT VALUE COUNT(1) FROM c', { partitionKey: 'Stream-1' }).fetchAll();
    expect(inOne.resources).toEqual([30]);
    const across = await container.items.query('SELECT VALUE COUNT(1) FROM c').fetchAll();
    expect(across.resources).toEqual([50]);
  });

  it('supports TOP with parameters', async () => {
    const { resources } = await container.items
      .query({
        query: 'SELECT TOP 3 c.i FROM c WHERE c.kind = @kind ORDER BY c.i DESC',
        parameters: [{ name: '@kind', value: 'even' }],
      })
      .fetchAll();
    expect(resources).toEqual([{ i: 28 }, { i: 26 }, { i: 24 }]);
  });

  it('answers the SDK query-plan request with a partitioned execution plan over the whole key space', async () => {
    const raw = await rest(cosmos, 'POST', `dbs/${databaseId}/colls/events/docs`, {
      body: JSON.stringify({ query: 'SELECT TOP 2 * FROM c ORDER BY c.i DESC' }),
      headers: {
        'x-ms-cosmos-is-query-plan-request': 'True',
        'x-ms-documentdb-isquery': 'true',
        'content-type': 'application/query+json',
        'x-ms-cosmos-query-version': '1.4',
      },
    });
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({
      partitionedQueryExecutionInfoVersion: 2,
      queryInfo: { distinctType: 'None' },
      queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }],
    });
  });

  it('runs queries through the SDK client-side pipeline when the query plan is forced', async () => {
    const plain = await container.items
      .query('SELECT * FROM c WHERE c.kind = "other"', { forceQueryPlan: true })
      .fetchAll();
    expect(plain.resources).toHaveLength(20);
    const ordered = await container.items
      .query('SELECT VALUE c.i FROM c WHERE c.kind = "other" ORDER BY c.i DESC', {
        forceQueryPlan: true,
        maxItemCount: 3,
      })
      .fetchAll();
    expect(ordered.resources).toEqual(Array.from({ length: 20 }, (_, i) => 121 - i));
    const top = await container.items
      .query('SELECT TOP 2 VALUE c.i FROM c ORDER BY c.i', { forceQueryPlan: true })
      .fetchAll();
    expect(top.resources).toEqual([0, 1]);
    const count = await container.items.query('SELECT VALUE COUNT(1) FROM c', { forceQueryPlan: true }).fetchAll();
    expect(count.resources).toEqual([50]);
  });

  it('answers 400 with a JSON body to a query with a syntax error', async () => {
    await expect(container.items.query('SELEKT * FROM c').fetchAll()).rejects.toMatchObject({ code: 400 });
  });

  it('lists databases and containers', async () => {
    const { resources: databases } = await cosmos.client.databases.readAll().fetchAll();
    expect(databases.map((database) => database.id)).toContain(databaseId);
    const { resources: containers } = await cosmos.client
      .database(databaseId)
      .containers.query({ query: 'SELECT * FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: 'events' }] })
      .fetchAll();
    expect(containers.map((definition) => definition.id)).toEqual(['events']);
  });
});

/** The SDK types `queryMetrics` as a string, but hands over one parsed QueryMetrics per range. */
type RangeMetrics = { retrievedDocumentCount: number; outputDocumentCount: number };
const metricsOf = (page: { queryMetrics?: unknown }) =>
  Object.values((page.queryMetrics ?? {}) as Record<string, RangeMetrics>);

describe('query clauses: DISTINCT, OFFSET … LIMIT, query metrics', () => {
  it('drops duplicates with SELECT DISTINCT and SELECT DISTINCT VALUE, across partitions and in one', async () => {
    const values = await container.items.query('SELECT DISTINCT VALUE c.kind FROM c').fetchAll();
    expect(values.resources.sort()).toEqual(['even', 'odd', 'other']);
    const objects = await container.items.query('SELECT DISTINCT c.kind FROM c').fetchAll();
    expect(objects.resources.map((row: { kind: string }) => row.kind).sort()).toEqual(['even', 'odd', 'other']);
    const inOne = await container.items
      .query('SELECT DISTINCT VALUE c.kind FROM c', { partitionKey: 'Stream-1' })
      .fetchAll();
    expect(inOne.resources.sort()).toEqual(['even', 'odd']);
  });

  it('skips and takes with OFFSET … LIMIT after ORDER BY, across partitions and with parameters', async () => {
    const ordered = await container.items.query('SELECT VALUE c.i FROM c ORDER BY c.i OFFSET 5 LIMIT 3').fetchAll();
    expect(ordered.resources).toEqual([5, 6, 7]);
    const last = await container.items
      .query({
        query: 'SELECT VALUE c.i FROM c ORDER BY c.i DESC OFFSET @skip LIMIT @take',
        parameters: [
          { name: '@skip', value: 1 },
          { name: '@take', value: 2 },
        ],
      })
      .fetchAll();
    expect(last.resources).toEqual([120, 119]);
  });

  it('takes OFFSET … LIMIT without ORDER BY: the given number of distinct results', async () => {
    const inOne = await container.items
      .query('SELECT VALUE c.i FROM c WHERE c.p = "Stream-1" OFFSET 10 LIMIT 5', { partitionKey: 'Stream-1' })
      .fetchAll();
    expect(new Set(inOne.resources).size).toBe(5);
    const across = await container.items.query('SELECT * FROM c OFFSET 45 LIMIT 10').fetchAll();
    expect(across.resources).toHaveLength(5);
  });

  it('answers a DISTINCT or OFFSET query the same through the forced client-side pipeline', async () => {
    const distinct = await container.items
      .query('SELECT DISTINCT VALUE c.kind FROM c', { forceQueryPlan: true })
      .fetchAll();
    expect(distinct.resources.sort()).toEqual(['even', 'odd', 'other']);
    const window = await container.items
      .query('SELECT VALUE c.i FROM c ORDER BY c.i OFFSET 28 LIMIT 4', { forceQueryPlan: true })
      .fetchAll();
    expect(window.resources).toEqual([28, 29, 102, 103]);
  });

  it('returns query metrics when asked (populateQueryMetrics)', async () => {
    const page = await container.items
      .query('SELECT * FROM c WHERE c.p = "Stream-1"', { partitionKey: 'Stream-1', populateQueryMetrics: true })
      .fetchNext();
    const metrics = metricsOf(page);
    expect(metrics.length).toBeGreaterThan(0);
    const total = metrics.reduce((sum, each) => sum + each.outputDocumentCount, 0);
    expect(total).toBe(page.resources.length);
    expect(metrics.reduce((sum, each) => sum + each.retrievedDocumentCount, 0)).toBeGreaterThanOrEqual(total);
  });

  it('runs a paged query once: later pages are served from its result', async (test) => {
    requireLocal(cosmos, test);
    const iterator = container.items.query('SELECT * FROM c WHERE c.p = "Stream-1" ORDER BY c.i', {
      partitionKey: 'Stream-1',
      maxItemCount: 10,
      populateQueryMetrics: true,
    });
    const retrievedPerPage: number[] = [];
    const seen: number[] = [];
    while (iterator.hasMoreResults()) {
      const page = await iterator.fetchNext();
      if (page.resources.length === 0) continue;
      seen.push(...page.resources.map((document: { i: number }) => document.i));
      retrievedPerPage.push(metricsOf(page).reduce((sum, each) => sum + each.retrievedDocumentCount, 0));
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(retrievedPerPage).toEqual([30, 0, 0]);
  });
});
