import { ChangeFeedStartFrom, type Container, type OperationInput, StatusCodes } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshEventsContainer } from '../../support/containers.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { rest } from './rest.ts';

const cosmos = useTestCosmos();
let container: Container;
let databaseId: string;

beforeAll(async () => {
  const fresh = await freshEventsContainer(cosmos, 'batch');
  databaseId = fresh.database.id;
  container = fresh.container;
});

async function feedDocuments(): Promise<Record<string, unknown>[]> {
  const documents: Record<string, unknown>[] = [];
  const iterator = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
  for (;;) {
    const page = await iterator.readNext();
    if (page.statusCode === StatusCodes.NotModified) return documents;
    documents.push(...(page.result as unknown as Record<string, unknown>[]));
  }
}

describe('transactional batch', () => {
  it('commits every operation of a successful batch, all at one LSN', async () => {
    await container.items.create({ id: '-1', p: 'Order-1', n: 0 });
    const { resource: tip } = await container.item('-1', 'Order-1').read();
    const operations: OperationInput[] = [
      { operationType: 'Replace', id: '-1', resourceBody: { id: '-1', p: 'Order-1', n: 2 }, ifMatch: tip._etag },
      { operationType: 'Create', resourceBody: { id: '0', p: 'Order-1', e: ['a', 'b'] } },
      { operationType: 'Upsert', resourceBody: { id: 'u', p: 'Order-1' } },
      { operationType: 'Read', id: '-1' },
    ];
    const response = await container.items.batch(operations, 'Order-1');
    expect(response.code).toBe(200);
    expect(response.result?.map((result) => result.statusCode)).toEqual([200, 201, 201, 200]);
    expect(response.result?.[3]?.resourceBody).toMatchObject({ n: 2 });
    const written = (await feedDocuments()).filter((document) => document.p === 'Order-1');
    const lsns = new Set(written.map((document) => document._lsn));
    expect(written).toHaveLength(3);
    expect(lsns.size).toBe(1);
  });

  it('leaves no trace of a failed batch: 207, the failing status, 424 for the others', async () => {
    await container.items.create({ id: '-1', p: 'Order-2', n: 1 });
    const before = await feedDocuments();
    const response = await container.items.batch(
      [
        { operationType: 'Create', resourceBody: { id: '1', p: 'Order-2' } },
        { operationType: 'Replace', id: '-1', resourceBody: { id: '-1', p: 'Order-2', n: 2 }, ifMatch: '"stale"' },
        { operationType: 'Create', resourceBody: { id: '2', p: 'Order-2' } },
      ],
      'Order-2',
    );
    expect(response.code).toBe(207);
    expect(response.result?.map((result) => result.statusCode)).toEqual([424, 412, 424]);
    expect((await container.item('1', 'Order-2').read()).statusCode).toBe(404);
    expect((await container.item('-1', 'Order-2').read()).resource.n).toBe(1);
    expect(await feedDocuments()).toEqual(before);
  });

  it('fails a batch whose create collides with an existing document (409), rolling back earlier operations', async () => {
    await container.items.create({ id: 'taken', p: 'Order-3' });
    const response = await container.items.batch(
      [
        { operationType: 'Upsert', resourceBody: { id: 'first', p: 'Order-3' } },
        { operationType: 'Create', resourceBody: { id: 'taken', p: 'Order-3' } },
      ],
      'Order-3',
    );
    expect(response.result?.map((result) => result.statusCode)).toEqual([424, 409]);
    expect((await container.item('first', 'Order-3').read()).statusCode).toBe(404);
  });

  it('refuses a batch of more than 100 operations with 400', async () => {
    const operations = Array.from({ length: 101 }, (_, i) => ({
      operationType: 'Create',
      resourceBody: { id: `op-${i}`, p: 'Order-4' },
    }));
    const raw = await rest(cosmos, 'POST', `dbs/${databaseId}/colls/events/docs`, {
      body: JSON.stringify(operations),
      headers: {
        'x-ms-cosmos-is-batch-request': 'true',
        'x-ms-cosmos-batch-atomic': 'true',
        'x-ms-documentdb-partitionkey': '["Order-4"]',
      },
    });
    expect(raw.status).toBe(400);
    expect(raw.body).toMatchObject({ code: 'BadRequest' });
  });

  it('refuses a batch body over 2 MB with 413', async () => {
    const operations = Array.from({ length: 3 }, (_, i) => ({
      operationType: 'Create',
      resourceBody: { id: `big-${i}`, p: 'Order-5', blob: 'z'.repeat(900 * 1024) },
    }));
    const raw = await rest(cosmos, 'POST', `dbs/${databaseId}/colls/events/docs`, {
      body: JSON.stringify(operations),
      headers: {
        'x-ms-cosmos-is-batch-request': 'true',
        'x-ms-cosmos-batch-atomic': 'true',
        'x-ms-documentdb-partitionkey': '["Order-5"]',
      },
    });
    expect(raw.status).toBe(413);
    expect((await container.item('big-0', 'Order-5').read()).statusCode).toBe(404);
  });

  it('runs SDK bulk operations (non-atomic) one by one', async () => {
    const results = await container.items.executeBulkOperations([
      { operationType: 'Create', partitionKey: 'Bulk-1', resourceBody: { id: 'b1', p: 'Bulk-1' } },
      { operationType: 'Create', partitionKey: 'Bulk-2', resourceBody: { id: 'b2', p: 'Bulk-2' } },
    ]);
    expect(results.map((result) => result.response?.statusCode)).toEqual([201, 201]);
  });
});

describe('transactional batch edge cases', () => {
  it('deletes the last document of a partition and creates another in the same batch', async () => {
    await container.items.create({ id: 'only', p: 'Edge-1' });
    const response = await container.items.batch(
      [
        { operationType: 'Delete', id: 'only' },
        { operationType: 'Create', resourceBody: { id: 'next', p: 'Edge-1' } },
      ],
      'Edge-1',
    );
    expect(response.code).toBe(200);
    expect((await container.item('only', 'Edge-1').read()).statusCode).toBe(404);
    expect((await container.item('next', 'Edge-1').read()).statusCode).toBe(200);
  });

  it('sees its own earlier operations: create then replace then read one document', async () => {
    const response = await container.items.batch(
      [
        { operationType: 'Create', resourceBody: { id: 'x', p: 'Edge-2', v: 1 } },
        { operationType: 'Replace', id: 'x', resourceBody: { id: 'x', p: 'Edge-2', v: 2 } },
        { operationType: 'Read', id: 'x' },
      ],
      'Edge-2',
    );
    expect(response.result?.map((result) => result.statusCode)).toEqual([201, 200, 200]);
    expect(response.result?.[2]?.resourceBody).toMatchObject({ v: 2 });
  });
});
