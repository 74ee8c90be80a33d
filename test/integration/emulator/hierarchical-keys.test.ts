import {
  ChangeFeedStartFrom,
  type Container,
  type Database,
  PartitionKeyDefinitionVersion,
  PartitionKeyKind,
  StatusCodes,
} from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';

// Hierarchical partition keys (kind MultiHash): tenants and their streams. The SDK computes the EPK range of a prefix
// key itself (each component hashed with hash V2, hashes concatenated) and reads the change feed of that range, so
// a prefix feed that finds its documents shows the server hashes each component as the service does.

const cosmos = useTestCosmos({ partitions: 4 });
let database: Database;
let container: Container;

type Event = { id: string; tenant: string; stream: string; n: number };

const tenants = ['acme', 'globex', 'initech'];
const streams = ['Order-1', 'Order-2', 'Invoice-7'];

async function drain<T>(start: ChangeFeedStartFrom): Promise<T[]> {
  const iterator = container.items.getChangeFeedIterator<T>({ changeFeedStartFrom: start });
  const documents: T[] = [];
  for (;;) {
    const page = await iterator.readNext();
    if (page.statusCode === StatusCodes.NotModified) return documents;
    documents.push(...page.result);
  }
}

beforeAll(async () => {
  database = await cosmos.database('hierarchical');
  ({ container } = await database.containers.create({
    id: 'events',
    partitionKey: {
      paths: ['/tenant', '/stream'],
      kind: PartitionKeyKind.MultiHash,
      version: PartitionKeyDefinitionVersion.V2,
    },
  }));
  let n = 0;
  for (const tenant of tenants) {
    for (const stream of streams) {
      await container.items.batch(
        [0, 1].map((i) => ({
          operationType: 'Create' as const,
          resourceBody: { id: String(i), tenant, stream, n: n++ },
        })),
        [tenant, stream],
      );
    }
  }
});

const ids = (documents: Event[]) =>
  documents.map((document) => `${document.tenant}/${document.stream}/${document.id}`).sort();

describe('hierarchical partition keys (MultiHash)', () => {
  it('creates a container with 2 paths and keeps its definition', async () => {
    const { resource } = await container.read();
    expect(resource?.partitionKey).toMatchObject({ paths: ['/tenant', '/stream'], kind: 'MultiHash', version: 2 });
  });

  it('reads, replaces, patches and deletes by the full key', async () => {
    const key = ['acme', 'Order-1'];
    const { resource } = await container.item('0', key).read<Event>();
    expect(resource).toMatchObject({ tenant: 'acme', stream: 'Order-1', id: '0' });
    await container.item('1', key).replace({ id: '1', tenant: 'acme', stream: 'Order-1', n: 100 });
    await container.item('1', key).patch([{ op: 'incr', path: '/n', value: 1 }]);
    expect((await container.item('1', key).read<Event>()).resource?.n).toBe(101);
    await container.items.create({ id: 'tmp', tenant: 'acme', stream: 'Order-1', n: -1 });
    expect((await container.item('tmp', key).delete()).statusCode).toBe(204);
    expect((await container.item('tmp', key).read()).statusCode).toBe(404);
    expect((await container.item('0', ['acme', 'Order-2']).read<Event>()).resource?.stream).toBe('Order-2');
  });

  it('runs a transactional batch in one full key', async () => {
    const response = await container.items.batch(
      [
        { operationType: 'Create', resourceBody: { id: '2', tenant: 'globex', stream: 'Order-1', n: 0 } },
        { operationType: 'Read', id: '0' },
      ],
      ['globex', 'Order-1'],
    );
    expect(response.result?.map((result) => result.statusCode)).toEqual([201, 200]);
    await container.item('2', ['globex', 'Order-1']).delete();
  });

  it('queries by the full key, by a prefix, and across everything', async () => {
    const query = 'SELECT * FROM c';
    const one = await container.items.query<Event>(query, { partitionKey: ['initech', 'Invoice-7'] }).fetchAll();
    expect(ids(one.resources)).toEqual(['initech/Invoice-7/0', 'initech/Invoice-7/1']);
    const tenant = await container.items.query<Event>(query, { partitionKey: ['globex'] }).fetchAll();
    expect(ids(tenant.resources)).toEqual(
      streams.flatMap((stream) => [`globex/${stream}/0`, `globex/${stream}/1`]).sort(),
    );
    const all = await container.items.query<Event>(query).fetchAll();
    expect(all.resources).toHaveLength(tenants.length * streams.length * 2);
  });

  it('reads the change feed of a prefix key: exactly that tenant', async () => {
    const documents = await drain<Event>(ChangeFeedStartFrom.Beginning(['initech']));
    expect(ids(documents)).toEqual(streams.flatMap((stream) => [`initech/${stream}/0`, `initech/${stream}/1`]).sort());
  });

  it('reads the change feed of a full key', async () => {
    const documents = await drain<Event>(ChangeFeedStartFrom.Beginning(['globex', 'Invoice-7']));
    expect(ids(documents)).toEqual(['globex/Invoice-7/0', 'globex/Invoice-7/1']);
  });

  it('feeds every document exactly once over the feed ranges', async () => {
    const ranges = await container.getFeedRanges();
    expect(ranges.length).toBeGreaterThan(1);
    const documents: Event[] = [];
    for (const range of ranges) documents.push(...(await drain<Event>(ChangeFeedStartFrom.Beginning(range))));
    expect(documents).toHaveLength(tenants.length * streams.length * 2);
    expect(new Set(ids(documents)).size).toBe(documents.length);
  });

  it('takes three paths, and a two-component prefix of them', async () => {
    const { container: deep } = await database.containers.create({
      id: 'deep',
      partitionKey: {
        paths: ['/a', '/b', '/c'],
        kind: PartitionKeyKind.MultiHash,
        version: PartitionKeyDefinitionVersion.V2,
      },
    });
    for (const [a, b, c] of [
      ['x', 'y', '1'],
      ['x', 'y', '2'],
      ['x', 'z', '1'],
    ]) {
      await deep.items.create({ id: `${a}${b}${c}`, a, b, c });
    }
    const { resources } = await deep.items.query('SELECT VALUE c.id FROM c', { partitionKey: ['x', 'y'] }).fetchAll();
    expect(resources.sort()).toEqual(['xy1', 'xy2']);
    expect((await deep.item('xz1', ['x', 'z', '1']).read()).statusCode).toBe(200);
  });

  it('refuses a MultiHash key with one path or four (400)', async () => {
    for (const paths of [['/a'], ['/a', '/b', '/c', '/d']]) {
      await expect(
        database.containers.create({
          id: `bad-${paths.length}`,
          partitionKey: { paths, kind: PartitionKeyKind.MultiHash, version: PartitionKeyDefinitionVersion.V2 },
        }),
      ).rejects.toMatchObject({ code: 400 });
    }
  });
});
