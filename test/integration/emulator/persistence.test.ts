import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeFeedStartFrom, type Container, CosmosClient, StatusCodes } from '@azure/cosmos';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DataDirectoryInUse,
  InvalidLocalCosmosOptions,
  type LocalCosmos,
  localTokenCredential,
  startLocalCosmos,
  WELL_KNOWN_EMULATOR_KEY,
} from '../../../src/emulator/index.ts';

// Restarting a server is only possible in-process, so these tests always use the local emulator.
const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function dataDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'tributary-cosmos-'));
  directories.push(directory);
  return directory;
}

function clientFor(local: LocalCosmos): CosmosClient {
  return new CosmosClient({
    endpoint: local.endpoint,
    key: local.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
}

async function drain(container: Container, token: string | undefined) {
  const iterator = container.items.getChangeFeedIterator({
    changeFeedStartFrom: token ? ChangeFeedStartFrom.Continuation(token) : ChangeFeedStartFrom.Beginning(),
    maxItemCount: 5,
  });
  const ids: string[] = [];
  for (;;) {
    const page = await iterator.readNext();
    if (page.statusCode === StatusCodes.NotModified) return { ids, token: page.continuationToken };
    ids.push(...page.result.map((document: { id: string }) => document.id));
  }
}

async function startCli(directory: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/emulator/main.ts', '--port', '0', '--data', directory],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      const match = /^http:\/\/127\.0\.0\.1:\d+$/m.exec(text);
      if (match) resolve(match[0]);
    });
    exited.then((code) => reject(new Error(`the server exited before printing its endpoint (${code})`)));
  });
  return { child, endpoint, exited };
}

async function writeDocument(endpoint: string, id: string) {
  const client = new CosmosClient({
    endpoint,
    key: WELL_KNOWN_EMULATOR_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { database } = await client.databases.createIfNotExists({ id: 'cli' });
  const { container } = await database.containers.createIfNotExists({ id: 'events', partitionKey: { paths: ['/p'] } });
  await container.items.create({ id, p: 'Stream-1' });
  client.dispose();
}

describe('persistence', () => {
  it('keeps databases, containers, documents and etags across a restart', async () => {
    const directory = dataDir();
    let local = await startLocalCosmos({ dataDir: directory, partitions: 2 });
    let client = clientFor(local);
    const { database } = await client.databases.create({ id: 'kept' });
    const { container } = await database.containers.create({ id: 'events', partitionKey: { paths: ['/p'] } });
    const { etag } = await container.items.create({ id: 'a', p: 'Stream-1', v: 1 });
    await container.items.create({ id: 'b', p: 'Stream-2' });
    await container.item('b', 'Stream-2').delete();
    client.dispose();
    await local.close();

    local = await startLocalCosmos({ dataDir: directory });
    client = clientFor(local);
    const reopened = client.database('kept').container('events');
    const read = await reopened.item('a', 'Stream-1').read();
    expect(read.resource).toMatchObject({ id: 'a', v: 1 });
    expect(read.etag).toBe(etag);
    expect((await reopened.item('b', 'Stream-2').read()).statusCode).toBe(404);
    expect(await reopened.getFeedRanges()).toHaveLength(2);
    await expect(reopened.items.create({ id: 'a', p: 'Stream-1' })).rejects.toMatchObject({ code: 409 });
    client.dispose();
    await local.close();
  });

  it('resumes a change feed from a token taken before a restart, losing and repeating nothing', async () => {
    const directory = dataDir();
    let local = await startLocalCosmos({ dataDir: directory, partitions: 2 });
    let client = clientFor(local);
    const { database } = await client.databases.create({ id: 'feed' });
    const { container } = await database.containers.create({ id: 'events', partitionKey: { paths: ['/p'] } });
    for (let i = 0; i < 20; i++) await container.items.create({ id: `d${i}`, p: `Stream-${i}` });
    const before = await drain(container, undefined);
    expect(before.ids.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `d${i}`).sort());
    client.dispose();
    await local.close();

    local = await startLocalCosmos({ dataDir: directory, partitions: 2 });
    client = clientFor(local);
    const reopened = client.database('feed').container('events');
    for (let i = 20; i < 30; i++) await reopened.items.create({ id: `d${i}`, p: `Stream-${i}` });
    const after = await drain(reopened, before.token);
    expect(after.ids.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `d${i + 20}`).sort());
    client.dispose();
    await local.close();
  });

  it('keeps split ranges and the LSN counter across a restart', async () => {
    const directory = dataDir();
    let local = await startLocalCosmos({ dataDir: directory });
    let client = clientFor(local);
    const { database } = await client.databases.create({ id: 'split' });
    const { container } = await database.containers.create({ id: 'events', partitionKey: { paths: ['/p'] } });
    for (let i = 0; i < 10; i++) await container.items.create({ id: `d${i}`, p: `Stream-${i}` });
    const first = await drain(container, undefined);
    await local.split('split', 'events');
    client.dispose();
    await local.close();

    local = await startLocalCosmos({ dataDir: directory });
    client = clientFor(local);
    const reopened = client.database('split').container('events');
    expect(await reopened.getFeedRanges()).toHaveLength(2);
    const created = await reopened.items.create({ id: 'next', p: 'Stream-next' });
    expect(created.headers.lsn).toBe('11');
    expect((await drain(reopened, first.token)).ids).toEqual(['next']);
    client.dispose();
    await local.close();
  });

  it('runs as a CLI: prints its endpoint, stops cleanly on SIGTERM, and keeps acknowledged writes even after SIGKILL', async () => {
    const directory = dataDir();
    const first = await startCli(directory);
    await writeDocument(first.endpoint, 'before-sigterm');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startCli(directory);
    await writeDocument(second.endpoint, 'before-sigkill');
    second.child.kill('SIGKILL');
    await second.exited;

    const local = await startLocalCosmos({ dataDir: directory });
    const reopened = clientFor(local).database('cli').container('events');
    expect((await reopened.item('before-sigterm', 'Stream-1').read()).statusCode).toBe(200);
    expect((await reopened.item('before-sigkill', 'Stream-1').read()).statusCode).toBe(200);
    await local.close();
  });

  it('refuses to open a data directory another server is using', async () => {
    const directory = dataDir();
    const local = await startLocalCosmos({ dataDir: directory });
    await expect(startLocalCosmos({ dataDir: directory })).rejects.toThrow(/already open|in use/);
    await expect(startLocalCosmos({ dataDir: directory })).rejects.toBeInstanceOf(DataDirectoryInUse);
    await local.close();
  });

  it('refuses options it cannot work with before opening anything', async () => {
    await expect(startLocalCosmos({ partitions: 0 })).rejects.toBeInstanceOf(InvalidLocalCosmosOptions);
    await expect(startLocalCosmos({ key: '' })).rejects.toThrow(/master key/);
    expect(() => localTokenCredential({ key: '' })).toThrow(InvalidLocalCosmosOptions);
  });
});

describe('persistence after a torn write', () => {
  it('drops a half-written last journal line and keeps what is journaled after it', async () => {
    const directory = dataDir();
    let local = await startLocalCosmos({ dataDir: directory });
    const client = clientFor(local);
    const { database } = await client.databases.create({ id: 'cli' });
    const { container } = await database.containers.create({ id: 'events', partitionKey: { paths: ['/p'] } });
    await container.items.create({ id: 'whole', p: 'Stream-1' });
    client.dispose();
    await local.close();
    const journal = readdirSync(directory).find((name) => name.startsWith('journal-'))!;
    appendFileSync(join(directory, journal), '{"t":"w","db":"cli","c":"events","lsn":2,"docs":[{"k":["Str');

    // Killed without a clean close, the next server's writes live only in the journal, after the torn line.
    const cli = await startCli(directory);
    await writeDocument(cli.endpoint, 'after');
    cli.child.kill('SIGKILL');
    await cli.exited;

    local = await startLocalCosmos({ dataDir: directory });
    const reopened = clientFor(local).database('cli').container('events');
    expect((await reopened.item('whole', 'Stream-1').read()).statusCode).toBe(200);
    expect((await reopened.item('after', 'Stream-1').read()).statusCode).toBe(200);
    await local.close();
  });
});

describe('start-up', () => {
  it('starts in-process in well under a second', async () => {
    const started = performance.now();
    const local = await startLocalCosmos();
    const elapsed = performance.now() - started;
    await local.close();
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('start-up failures', () => {
  it('releases its data directory when the port is taken, so a retry can succeed', async () => {
    const directory = dataDir();
    const blocker = await startLocalCosmos();
    const port = Number(new URL(blocker.endpoint).port);
    await expect(startLocalCosmos({ port, dataDir: directory })).rejects.toThrow(/EADDRINUSE/);
    await blocker.close();
    const retried = await startLocalCosmos({ port, dataDir: directory });
    await retried.close();
  });
});
