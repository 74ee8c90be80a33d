import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneCategory, readArchivedStream } from '../../../src/archive/index.ts';
import { ContainerNames, createCosmosStore, ensureContainers } from '../../../src/store/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { accountCodec, accountFold } from '../projections/fixtures.ts';
import { useTestAzurite } from './fixtures.ts';

const cosmos = useTestCosmos();
const azurite = useTestAzurite();
const childScript = join(import.meta.dirname, 'archiver-child.ts');

function startChild(
  database: string,
  container: string,
): { child: ChildProcess; segments: () => number; ready: Promise<void> } {
  let segments = 0;
  const child = fork(childScript, [], {
    env: {
      ...process.env,
      TRIBUTARY_ARCHIVER_CHILD: JSON.stringify({
        endpoint: cosmos.endpoint,
        key: cosmos.key,
        database,
        connectionString: azurite().connectionString,
        container,
        writeDelayMs: 30,
      }),
    },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: { type?: string; segments?: number }) => {
      if (message.type === 'ready') resolve();
      if (message.type === 'segments') segments = message.segments ?? 0;
    });
    child.once('exit', (code, signal) => reject(new Error(`the archiver child exited (${code ?? signal})`)));
  });
  return { child, segments: () => segments, ready };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

const until = async (condition: () => boolean | Promise<boolean>) => {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('an archiver killed mid-batch (SIGKILL, its own process)', () => {
  it('leaves no event in neither place, whatever the pruner does next', async () => {
    const db = await cosmos.database('archive-kill');
    await ensureContainers(cosmos.client, { databaseId: db.id });
    const store = createCosmosStore({ client: cosmos.client, databaseId: db.id, tip: { maxEvents: 4 } });
    const accounts = store.category({ name: 'Account', codec: accountCodec, fold: accountFold });
    const ids = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];
    await Promise.all(
      ids.map(async (id) => {
        await accounts.transact(id, () => [{ type: 'Opened', data: { owner: id } }]);
        for (let amount = 1; amount <= 10; amount++) {
          await accounts.transact(id, () => [{ type: 'Deposited', data: { amount } }]);
        }
      }),
    );
    const blobs = await azurite().archive('killed');
    const events = db.container(ContainerNames.events);
    const prune = () => pruneCategory({ events, blobs, category: 'Account', policy: { olderThanMs: 0 } });
    const expectNothingLost = async () => {
      for (const id of ids) {
        const stream = `Account-${id}`;
        const { resources } = await events.items
          .query<{ i: number; n: number }>('SELECT c.i, c.n FROM c', { partitionKey: stream })
          .fetchAll();
        const held = new Set<number>();
        for (const d of resources) for (let v = d.i; v < d.n; v++) held.add(v);
        for (const e of await readArchivedStream(blobs, stream)) held.add(Number(e.index));
        expect(
          [...Array(11).keys()].filter((v) => !held.has(v)),
          `${stream} in neither place`,
        ).toEqual([]);
      }
    };

    const first = startChild(db.id, 'killed');
    await first.ready;
    await until(() => first.segments() >= 9);
    first.child.kill('SIGKILL');
    await exited(first.child);

    const afterKill = await prune();
    expect(afterKill.batchesDeleted).toBeGreaterThan(0);
    expect(afterKill.kept.length).toBeGreaterThan(0); // some streams were not (fully) archived when it died
    await expectNothingLost();

    const second = startChild(db.id, 'killed');
    await second.ready;
    await until(async () => {
      for (const id of ids) if ((await readArchivedStream(blobs, `Account-${id}`)).length < 11) return false;
      return true;
    });
    second.child.kill('SIGTERM');
    await exited(second.child);
    await prune();
    await expectNothingLost();
    const reader = createCosmosStore({
      client: cosmos.client,
      databaseId: db.id,
      cache: { maxEntries: 0 },
      prunedHistory: (await import('../../../src/archive/index.ts')).archivePrunedHistory(blobs),
    }).category({ name: 'Account', codec: accountCodec, fold: accountFold });
    for (const id of ids) expect((await reader.load(id)).state.balance).toBe(55);
  }, 120_000);
});
