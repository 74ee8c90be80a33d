import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll } from 'vitest';
import { type ArchiveBlobs, ArchiveUnavailable, archivePrunedHistory } from '../../../src/archive/index.ts';
import { ContainerNames, type CosmosStore, createCosmosStore, ensureContainers } from '../../../src/store/index.ts';
import { startTestAzurite, type TestAzurite } from '../../../src/testing/azurite.ts';
import type { TestCosmos } from '../../support/cosmos.ts';
import { accountCodec, accountFold } from '../projections/fixtures.ts';

/** One Azurite blob service for the whole test file. */
export function useTestAzurite(): () => TestAzurite {
  let started: TestAzurite | undefined;
  beforeAll(async () => {
    started = await startTestAzurite();
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  });
  return () => {
    if (!started) throw new Error('Azurite is used outside a hook or test, or failed to start.');
    return started;
  };
}

/** A blob store between the archive and Azurite that fails or tears writes on demand. */
export interface FaultyBlobs extends ArchiveBlobs {
  /** every operation fails as if the account were unreachable */
  down: boolean;
  /** the next n writes store only the first half of the bytes and report success */
  tearWrites: number;
  /** after this many more segment writes, every write fails (a crash mid-flush) */
  failSegmentWritesAfter: number;
  /** torn writes made so far */
  torn: number;
}

export function faultyBlobs(inner: ArchiveBlobs): FaultyBlobs {
  const check = (operation: string, name: string) => {
    if (faulty.down) throw new ArchiveUnavailable(operation, name, { cause: new Error('connect ECONNREFUSED') });
  };
  const faulty: FaultyBlobs = {
    where: inner.where,
    requests: inner.requests,
    down: false,
    tearWrites: 0,
    failSegmentWritesAfter: Number.POSITIVE_INFINITY,
    torn: 0,
    async put(name, bytes, metadata) {
      check('write', name);
      if (name.includes('/segments/')) {
        if (faulty.failSegmentWritesAfter <= 0) {
          throw new ArchiveUnavailable('write', name, { cause: new Error('socket hang up') });
        }
        faulty.failSegmentWritesAfter--;
      }
      if (faulty.tearWrites > 0) {
        faulty.tearWrites--;
        faulty.torn++;
        return inner.put(name, bytes.subarray(0, Math.floor(bytes.byteLength / 2)), metadata);
      }
      return inner.put(name, bytes, metadata);
    },
    async get(name) {
      check('read', name);
      return inner.get(name);
    },
    async properties(name) {
      check('inspect', name);
      return inner.properties(name);
    },
    async *list(prefix) {
      check('list', prefix);
      yield* inner.list(prefix);
    },
    async remove(name) {
      check('delete', name);
      return inner.remove(name);
    },
  };
  return faulty;
}

export interface ArchiveEnvironment {
  readonly store: CosmosStore;
  readonly accounts: ReturnType<typeof accountsOf>;
  readonly events: Container;
  readonly leases: Container;
  readonly blobs: FaultyBlobs;
  readonly databaseId: string;
}

function accountsOf(store: CosmosStore) {
  return store.category({ name: 'Account', codec: accountCodec, fold: accountFold });
}

/** A fresh database and archive container; the tip calves every 4 events, so streams have several batches. */
export async function archiveEnvironment(cosmos: TestCosmos, azurite: TestAzurite): Promise<ArchiveEnvironment> {
  const database = await cosmos.database('archive');
  await ensureContainers(cosmos.client, { databaseId: database.id });
  const blobs = faultyBlobs(await azurite.archive(`archive-${randomUUID().slice(0, 8)}`));
  const store = createCosmosStore({
    client: cosmos.client,
    databaseId: database.id,
    tip: { maxEvents: 4 },
    prunedHistory: archivePrunedHistory(blobs),
  });
  return {
    store,
    accounts: accountsOf(store),
    events: store.container,
    leases: database.container(ContainerNames.leases),
    blobs,
    databaseId: database.id,
  };
}

/** Opens each account and deposits `deposits` times (1, 2, 3, …), one append per event. */
export async function writeAccounts(env: ArchiveEnvironment, ids: readonly string[], deposits: number): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      const { version } = await env.accounts.load(id);
      if (version === 0n) await env.accounts.transact(id, () => [{ type: 'Opened', data: { owner: id } }]);
      for (let amount = 1; amount <= deposits; amount++) {
        await env.accounts.transact(id, () => [{ type: 'Deposited', data: { amount } }]);
      }
    }),
  );
}
