import { ChangeFeedStartFrom, type Container, type Database } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';

// What an app sees through the SDK, checked against the service's behaviour (these run unchanged against a real
// account with COSMOS_ENDPOINT/COSMOS_KEY).

const cosmos = useTestCosmos();
let database: Database;
let container: Container;

beforeAll(async () => {
  database = await cosmos.database('parity');
  ({ container } = await database.containers.create({ id: 'items', partitionKey: { paths: ['/p'] } }));
});

describe('system properties', () => {
  it('leaves _lsn out of create, read, replace and query results, and puts it in change-feed results', async () => {
    const created = await container.items.create({ id: 'lsn', p: 'A', v: 1 });
    expect(created.resource).not.toHaveProperty('_lsn');
    expect(created.resource).toHaveProperty('_etag');
    expect((await container.item('lsn', 'A').read()).resource).not.toHaveProperty('_lsn');
    const replaced = await container.item('lsn', 'A').replace({ id: 'lsn', p: 'A', v: 2 });
    expect(replaced.resource).not.toHaveProperty('_lsn');
    const { resources } = await container.items.query('SELECT * FROM c WHERE c.id = "lsn"').fetchAll();
    expect(resources[0]).not.toHaveProperty('_lsn');
    const feed = container.items.getChangeFeedIterator<{ id: string; _lsn?: unknown }>({
      changeFeedStartFrom: ChangeFeedStartFrom.Beginning('A'),
    });
    const page = await feed.readNext();
    const document = page.result.find((each) => each.id === 'lsn');
    expect(typeof document?._lsn).toBe('number');
  });
});

describe('indexing policy', () => {
  it('fills in the service defaults for an empty policy', async () => {
    const { resource } = await database.containers.create({
      id: 'empty-policy',
      partitionKey: '/p',
      indexingPolicy: {},
    });
    expect(resource?.indexingPolicy).toMatchObject({
      indexingMode: 'consistent',
      automatic: true,
      includedPaths: [{ path: '/*' }],
    });
    expect(resource?.indexingPolicy?.excludedPaths).toEqual([{ path: '/"_etag"/?' }]);
  });

  it('keeps excluded paths as sent and adds the _etag exclusion', async () => {
    const { resource } = await database.containers.create({
      id: 'own-policy',
      partitionKey: '/p',
      indexingPolicy: { excludedPaths: [{ path: '/body/*' }] },
    });
    const excluded = (resource?.indexingPolicy?.excludedPaths ?? []).map((entry) => entry.path);
    expect(excluded).toEqual(expect.arrayContaining(['/body/*', '/"_etag"/?']));
    expect(excluded).toHaveLength(2);
    expect(resource?.indexingPolicy?.includedPaths).toEqual([{ path: '/*' }]);
  });
});

describe('deleteAllItemsForPartitionKey', () => {
  it('deletes every item of one logical partition and no other', async () => {
    const { container: streams } = await database.containers.create({ id: 'pk-delete', partitionKey: '/p' });
    for (const id of ['1', '2', '3']) await streams.items.create({ id, p: 'Stream-gone' });
    await streams.items.create({ id: '1', p: 'Stream-kept' });
    const answer = await streams.deleteAllItemsForPartitionKey('Stream-gone');
    expect(answer.statusCode).toBe(200);
    // The service deletes in the background: wait until the partition reads empty.
    const count = async (p: string) =>
      (
        await streams.items
          .query({ query: 'SELECT VALUE COUNT(1) FROM c WHERE c.p = @p', parameters: [{ name: '@p', value: p }] })
          .fetchAll()
      ).resources[0] as number;
    for (let attempt = 0; attempt < 50 && (await count('Stream-gone')) > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await count('Stream-gone')).toBe(0);
    expect(await count('Stream-kept')).toBe(1);
    expect((await streams.item('1', 'Stream-gone').read()).statusCode).toBe(404);
  });
});

describe('change feed responses', () => {
  it('name the partition key range they come from (x-ms-documentdb-partitionkeyrangeid)', async () => {
    await container.items.upsert({ id: 'ranged', p: 'B' });
    const [range] = await container.getFeedRanges();
    const feed = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning(range) });
    const page = await feed.readNext();
    expect(page.result.length).toBeGreaterThan(0);
    expect(page.headers['x-ms-documentdb-partitionkeyrangeid']).toMatch(/^\d+$/);
  });
});
