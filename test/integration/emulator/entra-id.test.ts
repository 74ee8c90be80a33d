import { Agent } from 'node:https';
import { ChangeFeedStartFrom, type Container, CosmosClient, type CosmosClientOptions } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCosmos, localTokenCredential, startLocalCosmos } from '../../../src/emulator/index.ts';

// Entra ID (AAD) through the real SDK: `aadCredentials` with the local test credential, over https (the SDK sends
// tokens only over TLS). The account key creates the resources, as Bicep would for a deployed account.

let cosmos: LocalCosmos;
let agent: Agent;
let keyContainer: Container;
const clients: CosmosClient[] = [];

function client(options: Partial<CosmosClientOptions>): CosmosClient {
  const created = new CosmosClient({
    endpoint: cosmos.endpoint,
    agent,
    connectionPolicy: { enableEndpointDiscovery: false, retryOptions: { maxRetryAttemptCount: 0 } },
    ...options,
  });
  clients.push(created);
  return created;
}

const containerOf = (options: Parameters<typeof localTokenCredential>[0]) =>
  client({ aadCredentials: localTokenCredential(options) })
    .database('app')
    .container('events');

async function count(): Promise<number> {
  const { resources } = await keyContainer.items.query('SELECT VALUE COUNT(1) FROM c').fetchAll();
  return resources[0] as number;
}

beforeAll(async () => {
  cosmos = await startLocalCosmos({ tls: true });
  agent = new Agent({ ca: cosmos.certificate!, keepAlive: true });
  const { database } = await client({ key: cosmos.key }).databases.create({ id: 'app' });
  ({ container: keyContainer } = await database.containers.create({ id: 'events', partitionKey: '/p' }));
});

afterAll(async () => {
  for (const each of clients) each.dispose();
  agent.destroy();
  await cosmos.close();
});

describe('Entra ID (AAD) tokens', () => {
  it('serves https with a certificate the client can trust, and master keys still work over it', async () => {
    expect(cosmos.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await keyContainer.items.create({ id: 'by-key', p: 'Stream-0' });
    expect((await keyContainer.item('by-key', 'Stream-0').read()).statusCode).toBe(200);
  });

  it('lets a Data Contributor write, read, query and read the change feed', async () => {
    const container = containerOf({ key: cosmos.key });
    expect((await container.items.create({ id: 'a', p: 'Stream-1' })).statusCode).toBe(201);
    expect((await container.item('a', 'Stream-1').read()).resource?.id).toBe('a');
    const { resources } = await container.items.query('SELECT c.id FROM c WHERE c.p = "Stream-1"').fetchAll();
    expect(resources).toEqual([{ id: 'a' }]);
    const batch = await container.items.batch(
      [{ operationType: 'Upsert', resourceBody: { id: 'b', p: 'Stream-1' } }],
      'Stream-1',
    );
    expect(batch.result?.[0]?.statusCode).toBe(201);
    const feed = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
    const page = await feed.readNext();
    expect(page.result.map((document: { id: string }) => document.id)).toEqual(expect.arrayContaining(['a', 'b']));
  });

  it('answers 401 to a token signed with another key, and writes nothing', async () => {
    const before = await count();
    const container = containerOf({ key: Buffer.from('not the account key').toString('base64') });
    const error = await container.items.create({ id: 'forged', p: 'Stream-2' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 401, body: { code: 'Unauthorized' } });
    expect(String((error as Error).message)).toContain('signature does not verify');
    expect(await count()).toBe(before);
  });

  it('answers 401 to an expired token, saying when it expired, and writes nothing', async () => {
    const before = await count();
    const container = containerOf({ key: cosmos.key, expiresInMs: -5 * 60 * 1000 });
    const error = await container.items.create({ id: 'late', p: 'Stream-3' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 401, body: { code: 'Unauthorized' } });
    expect(String((error as Error).message)).toContain('expired at');
    expect(await count()).toBe(before);
  });

  it('answers 401 to a token for another account (audience)', async () => {
    const credential = localTokenCredential({ key: cosmos.key });
    const elsewhere = client({
      aadCredentials: { getToken: () => credential.getToken('https://elsewhere.documents.azure.com/.default') },
    });
    const error = await elsewhere
      .database('app')
      .container('events')
      .item('a', 'Stream-1')
      .read()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 401 });
    expect(String((error as Error).message)).toContain('audience https://elsewhere.documents.azure.com');
  });

  it('answers 403 naming the missing action to a principal without a data-plane role', async () => {
    const before = await count();
    const container = containerOf({ key: cosmos.key, roles: [], principalId: 'principal-without-role' });
    const error = await container.items.create({ id: 'x', p: 'Stream-4' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 403, substatus: 5301, body: { code: 'Forbidden' } });
    const message = String((error as Error).message);
    expect(message).toContain('principal [principal-without-role]');
    expect(message).toMatch(/perform action \[Microsoft\.DocumentDB\/databaseAccounts\/[\w/]+\]/);
    expect(await count()).toBe(before);
  });

  it('lets a Data Reader read and query but answers 403 naming items/create to its write', async () => {
    const container = containerOf({ key: cosmos.key, roles: ['data-reader'] });
    expect((await container.item('a', 'Stream-1').read()).statusCode).toBe(200);
    expect((await container.items.query('SELECT * FROM c').fetchAll()).resources.length).toBeGreaterThan(0);
    const error = await container.items.create({ id: 'r', p: 'Stream-5' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 403, substatus: 5301 });
    expect(String((error as Error).message)).toContain(
      '[Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/create]',
    );
    expect((await keyContainer.item('r', 'Stream-5').read()).statusCode).toBe(404);
  });

  it('refuses to create databases and containers with a token (403, substatus 5300), as the service does', async () => {
    const aad = client({ aadCredentials: localTokenCredential({ key: cosmos.key }) });
    await expect(aad.databases.create({ id: 'by-token' })).rejects.toMatchObject({ code: 403, substatus: 5300 });
    await expect(aad.database('app').containers.create({ id: 'more', partitionKey: '/p' })).rejects.toMatchObject({
      code: 403,
      substatus: 5300,
    });
    const { resources } = await client({ key: cosmos.key }).databases.readAll().fetchAll();
    expect(resources.map((database) => database.id)).toEqual(['app']);
  });

  it('never echoes the token in an error', async () => {
    const credential = localTokenCredential({ key: cosmos.key, expiresInMs: -60_000 });
    const { token } = (await credential.getToken('https://cosmos.azure.com/.default'))!;
    const error = await client({ aadCredentials: credential })
      .database('app')
      .container('events')
      .item('a', 'Stream-1')
      .read()
      .catch((caught: unknown) => caught);
    expect(JSON.stringify(error)).not.toContain(token.split('.')[2]);
  });
});

describe('an account with key auth disabled', () => {
  it('answers 403 to master-key requests and serves tokens', async () => {
    const locked = await startLocalCosmos({ tls: true, disableLocalAuth: true });
    const lockedAgent = new Agent({ ca: locked.certificate! });
    try {
      const byKey = new CosmosClient({
        endpoint: locked.endpoint,
        key: locked.key,
        agent: lockedAgent,
        connectionPolicy: { enableEndpointDiscovery: false },
      });
      clients.push(byKey);
      const error = await byKey.databases.create({ id: 'd' }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 403 });
      expect(String((error as Error).message)).toContain('Local Authorization is disabled');
      const byToken = new CosmosClient({
        endpoint: locked.endpoint,
        aadCredentials: localTokenCredential({ key: locked.key }),
        agent: lockedAgent,
        connectionPolicy: { enableEndpointDiscovery: false },
      });
      clients.push(byToken);
      expect((await byToken.getDatabaseAccount()).statusCode).toBe(200);
    } finally {
      lockedAgent.destroy();
      await locked.close();
    }
  });
});
