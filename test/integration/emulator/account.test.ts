import { ChangeFeedStartFrom, PartitionKeyDefinitionVersion, PartitionKeyKind, StatusCodes } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { rest } from './rest.ts';

const cosmos = useTestCosmos({ partitions: 4 });

describe('account, databases and containers', () => {
  it('describes the database account with readable and writable locations and a consistency policy', async () => {
    const { resource } = await cosmos.client.getDatabaseAccount();
    expect(resource?.writableLocations.length).toBeGreaterThan(0);
    expect(resource?.readableLocations.length).toBeGreaterThan(0);
    expect(resource?.consistencyPolicy).toBeDefined();
    if (cosmos.local) {
      expect(resource?.writableLocations[0]?.databaseAccountEndpoint).toBe(`${cosmos.endpoint}/`);
    }
  });

  it('works for a client with endpoint discovery on (the SDK default)', async () => {
    const { CosmosClient } = await import('@azure/cosmos');
    const client = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key });
    try {
      const { database } = await client.databases.createIfNotExists({ id: `discovery-${Date.now()}` });
      const { container } = await database.containers.createIfNotExists({ id: 'c', partitionKey: '/p' });
      await container.items.create({ id: '1', p: 'x' });
      expect((await container.item('1', 'x').read()).statusCode).toBe(200);
      await database.delete();
    } finally {
      client.dispose();
    }
  });

  it('creates, reads and deletes a database; a second create answers 409', async () => {
    const id = `db-${Date.now()}`;
    const { database, statusCode } = await cosmos.client.databases.create({ id });
    expect(statusCode).toBe(201);
    expect((await database.read()).resource?.id).toBe(id);
    await expect(cosmos.client.databases.create({ id })).rejects.toMatchObject({ code: 409 });
    await database.delete();
    await expect(database.read()).rejects.toMatchObject({ code: 404 });
  });

  it('creates containers with hash V2 by default and V1 on request', async () => {
    const database = await cosmos.database('containers');
    const { resource: v2 } = await database.containers.create({ id: 'v2', partitionKey: { paths: ['/p'] } });
    expect(v2?.partitionKey).toMatchObject({ paths: ['/p'], kind: 'Hash' });
    // Without a version the local server uses hash V2 (what new containers get on Azure).
    if (cosmos.local) expect(v2?.partitionKey?.version).toBe(2);
    const { container, resource: v1 } = await database.containers.create({
      id: 'v1',
      partitionKey: { paths: ['/p'], kind: PartitionKeyKind.Hash, version: PartitionKeyDefinitionVersion.V1 },
    });
    expect(v1?.partitionKey).toMatchObject({ version: 1 });
    await container.items.create({ id: '1', p: 'Stream-1' });
    expect((await container.item('1', 'Stream-1').read()).statusCode).toBe(200);
    const { resources } = await container.items.query('SELECT * FROM c').fetchAll();
    expect(resources).toHaveLength(1);
  });

  it('spreads hash V1 keys over the ranges and feeds each document exactly once', async () => {
    const database = await cosmos.database('v1');
    const { container } = await database.containers.create({
      id: 'v1',
      partitionKey: { paths: ['/p'], kind: PartitionKeyKind.Hash, version: PartitionKeyDefinitionVersion.V1 },
    });
    const ids = Array.from({ length: 40 }, (_, i) => `d${i}`);
    for (const id of ids) {
      await container.items.batch(
        [{ operationType: 'Create', resourceBody: { id, p: `Stream-${id}` } }],
        `Stream-${id}`,
      );
    }
    const seen: string[][] = [];
    for (const range of await container.getFeedRanges()) {
      const iterator = container.items.getChangeFeedIterator({
        changeFeedStartFrom: ChangeFeedStartFrom.Beginning(range),
      });
      const documents: string[] = [];
      for (;;) {
        const page = await iterator.readNext();
        if (page.statusCode === StatusCodes.NotModified) break;
        documents.push(...page.result.map((document: { id: string }) => document.id));
      }
      seen.push(documents);
    }
    expect(seen.flat().sort()).toEqual([...ids].sort());
    if (cosmos.local) {
      expect(seen).toHaveLength(4);
      for (const documents of seen) expect(documents.length).toBeGreaterThan(0);
    }
  });

  it('reads, replaces and deletes a container', async () => {
    const database = await cosmos.database('container-crud');
    const { container } = await database.containers.create({ id: 'c', partitionKey: '/id' });
    const { resource } = await container.read();
    expect(resource?.partitionKey?.paths).toEqual(['/id']);
    const replaced = await container.replace({ ...resource!, defaultTtl: -1 });
    expect(replaced.resource?.defaultTtl).toBe(-1);
    await container.delete();
    await expect(container.read()).rejects.toMatchObject({ code: 404 });
  });

  it('serves complete, contiguous partition key ranges for a container with 4 physical partitions', async (test) => {
    requireLocal(cosmos, test);
    const database = await cosmos.database('ranges');
    await database.containers.create({ id: 'c', partitionKey: '/p' });
    const raw = await rest(cosmos, 'GET', `dbs/${database.id}/colls/c/pkranges`);
    const ranges = (raw.body as { PartitionKeyRanges: { minInclusive: string; maxExclusive: string }[] })
      .PartitionKeyRanges;
    expect(ranges).toHaveLength(4);
    expect(ranges[0]!.minInclusive).toBe('');
    expect(ranges[3]!.maxExclusive).toBe('FF');
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.minInclusive).toBe(ranges[i - 1]!.maxExclusive);
    expect(await database.container('c').getFeedRanges()).toHaveLength(4);
  });
});
