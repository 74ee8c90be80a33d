import { type Container, CosmosClient } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshEventsContainer } from '../../support/containers.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { rest } from './rest.ts';

const cosmos = useTestCosmos();
let container: Container;
let databaseId: string;

beforeAll(async () => {
  const fresh = await freshEventsContainer(cosmos, 'documents');
  databaseId = fresh.database.id;
  container = fresh.container;
});

const code = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 0;
  } catch (error) {
    return (error as { code?: number }).code;
  }
};

describe('documents', () => {
  it('creates a document with system properties and reads it back by id and partition key', async () => {
    const created = await container.items.create({ id: 'a', p: 'Account-1', balance: 10 });
    expect(created.statusCode).toBe(201);
    expect(created.resource).toMatchObject({ id: 'a', p: 'Account-1', balance: 10 });
    for (const property of ['_rid', '_self', '_etag', '_ts']) expect(created.resource).toHaveProperty(property);
    const read = await container.item('a', 'Account-1').read();
    expect(read.statusCode).toBe(200);
    expect(read.resource).toEqual(created.resource);
    expect(read.etag).toBe(created.etag);
  });

  it('answers 409 to a second create of the same id in the same partition', async () => {
    await container.items.create({ id: 'dup', p: 'Account-2' });
    expect(await code(container.items.create({ id: 'dup', p: 'Account-2' }))).toBe(409);
  });

  it('keeps documents with the same id apart in different partitions', async () => {
    await container.items.create({ id: 'same', p: 'Account-3', n: 3 });
    await container.items.create({ id: 'same', p: 'Account-4', n: 4 });
    expect((await container.item('same', 'Account-3').read()).resource.n).toBe(3);
    expect((await container.item('same', 'Account-4').read()).resource.n).toBe(4);
  });

  it('answers 404 for a missing document', async () => {
    const read = await container.item('missing', 'Account-1').read();
    expect(read.statusCode).toBe(404);
    expect(await code(container.item('missing', 'Account-1').replace({ id: 'missing', p: 'Account-1' }))).toBe(404);
    expect(await code(container.item('missing', 'Account-1').delete())).toBe(404);
  });

  it('replaces with If-Match and answers 412 when the etag is stale', async () => {
    const { etag } = await container.items.create({ id: 'occ', p: 'Account-5', v: 1 });
    const replaced = await container
      .item('occ', 'Account-5')
      .replace({ id: 'occ', p: 'Account-5', v: 2 }, { accessCondition: { type: 'IfMatch', condition: etag! } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.etag).not.toBe(etag);
    const stale = container
      .item('occ', 'Account-5')
      .replace({ id: 'occ', p: 'Account-5', v: 3 }, { accessCondition: { type: 'IfMatch', condition: etag! } });
    expect(await code(stale)).toBe(412);
    expect((await container.item('occ', 'Account-5').read()).resource.v).toBe(2);
  });

  it('answers 304 to a read whose If-None-Match etag is current, and 200 once it changed', async () => {
    const { etag } = await container.items.create({ id: 'cached', p: 'Account-6', v: 1 });
    const unchanged = await container
      .item('cached', 'Account-6')
      .read({ accessCondition: { type: 'IfNoneMatch', condition: etag! } });
    expect(unchanged.statusCode).toBe(304);
    await container.items.upsert({ id: 'cached', p: 'Account-6', v: 2 });
    const changed = await container
      .item('cached', 'Account-6')
      .read({ accessCondition: { type: 'IfNoneMatch', condition: etag! } });
    expect(changed.statusCode).toBe(200);
    expect(changed.resource.v).toBe(2);
  });

  it('upserts: creates when absent (201), replaces when present (200)', async () => {
    expect((await container.items.upsert({ id: 'up', p: 'Account-7', v: 1 })).statusCode).toBe(201);
    expect((await container.items.upsert({ id: 'up', p: 'Account-7', v: 2 })).statusCode).toBe(200);
    expect((await container.item('up', 'Account-7').read()).resource.v).toBe(2);
  });

  it('deletes a document', async () => {
    await container.items.create({ id: 'gone', p: 'Account-8' });
    expect((await container.item('gone', 'Account-8').delete()).statusCode).toBe(204);
    expect((await container.item('gone', 'Account-8').read()).statusCode).toBe(404);
  });

  it('patches a document: set, incr, add to an array, remove', async () => {
    await container.items.create({ id: 'patch', p: 'Account-9', n: 1, tags: ['a'], drop: true });
    const patched = await container.item('patch', 'Account-9').patch([
      { op: 'incr', path: '/n', value: 41 },
      { op: 'set', path: '/name', value: 'x' },
      { op: 'add', path: '/tags/-', value: 'b' },
      { op: 'remove', path: '/drop' },
    ]);
    expect(patched.statusCode).toBe(200);
    expect(patched.resource).toMatchObject({ n: 42, name: 'x', tags: ['a', 'b'] });
    expect(patched.resource).not.toHaveProperty('drop');
  });

  it('applies a conditional patch only when the condition holds (412 otherwise)', async () => {
    await container.items.create({ id: 'cond', p: 'Account-10', n: 1 });
    const refused = container
      .item('cond', 'Account-10')
      .patch({ condition: 'FROM c WHERE c.n = 5', operations: [{ op: 'set', path: '/n', value: 2 }] });
    expect(await code(refused)).toBe(412);
    const applied = await container
      .item('cond', 'Account-10')
      .patch({ condition: 'FROM c WHERE c.n = 1', operations: [{ op: 'set', path: '/n', value: 2 }] });
    expect(applied.resource.n).toBe(2);
  });

  it('refuses a document over 2 MB with 413', async () => {
    const huge = { id: 'huge', p: 'Account-11', blob: 'x'.repeat(2 * 1024 * 1024 + 10) };
    expect(await code(container.items.create(huge))).toBe(413);
  });

  it('stores a document without the partition key property under the "none" key', async () => {
    await container.items.create({ id: 'keyless' });
    const read = await container.item('keyless', undefined).read();
    expect(read.statusCode).toBe(200);
  });
});

describe('bad input', () => {
  it('answers 401 with a JSON body to a client with the wrong key', async () => {
    const wrongKey = Buffer.from('not the key at all, clearly wrong').toString('base64');
    const client = new CosmosClient({
      endpoint: cosmos.endpoint,
      key: wrongKey,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    try {
      expect(await code(client.database(databaseId).read())).toBe(401);
    } finally {
      client.dispose();
    }
    const raw = await rest(cosmos, 'GET', `dbs/${databaseId}`, { key: wrongKey });
    expect(raw.status).toBe(401);
    expect(raw.body).toMatchObject({ code: 'Unauthorized' });
  });

  it('answers 401 to a request without an authorization header', async () => {
    const raw = await rest(cosmos, 'GET', `dbs/${databaseId}`, { sign: false });
    expect(raw.status).toBe(401);
    expect(raw.body).toHaveProperty('message');
  });

  it('answers 400 with a JSON body to malformed JSON', async () => {
    const raw = await rest(cosmos, 'POST', `dbs/${databaseId}/colls/events/docs`, {
      body: '{"id": "broken",',
      headers: { 'x-ms-documentdb-partitionkey': '["Account-1"]' },
    });
    expect(raw.status).toBe(400);
    expect(raw.body).toMatchObject({ code: 'BadRequest' });
  });

  it('answers 400 to a document write without a partition key', async () => {
    const raw = await rest(cosmos, 'POST', `dbs/${databaseId}/colls/events/docs`, {
      body: JSON.stringify({ id: 'nokey', p: 'Account-1' }),
    });
    expect(raw.status).toBe(400);
    expect(raw.body).toMatchObject({ code: 'BadRequest' });
  });

  it('answers 400 when the partition key header disagrees with the document', async () => {
    const raw = await rest(cosmos, 'POST', `dbs/${databaseId}/colls/events/docs`, {
      body: JSON.stringify({ id: 'mismatch', p: 'Account-1' }),
      headers: { 'x-ms-documentdb-partitionkey': '["Account-2"]' },
    });
    expect(raw.status).toBe(400);
  });

  it('answers 404 with a JSON body to unknown routes and resources', async () => {
    for (const path of [`dbs/${databaseId}/colls/events/nonsense`, 'dbs/no-such-db', `dbs/${databaseId}/colls/nope`]) {
      const raw = await rest(cosmos, 'GET', path);
      expect(raw.status).toBe(404);
      expect(raw.body).toMatchObject({ code: 'NotFound' });
    }
  });

  it('answers 413 to a request body over 2 MB', async () => {
    const raw = await rest(cosmos, 'POST', `dbs/${databaseId}/colls/events/docs`, {
      body: JSON.stringify({ id: 'big', p: 'Account-1', blob: 'y'.repeat(3 * 1024 * 1024) }),
      headers: { 'x-ms-documentdb-partitionkey': '["Account-1"]' },
    });
    expect(raw.status).toBe(413);
    expect(raw.body).toHaveProperty('code');
  });

  it('answers 400 to an invalid document id', async () => {
    const raw = await rest(cosmos, 'POST', `dbs/${databaseId}/colls/events/docs`, {
      body: JSON.stringify({ id: 'a/b', p: 'Account-1' }),
      headers: { 'x-ms-documentdb-partitionkey': '["Account-1"]' },
    });
    expect(raw.status).toBe(400);
  });
});
