import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ArchiveLayout,
  ArchiveUnavailable,
  createArchiver,
  PruneDeleteFailed,
  pruneCategory,
  readArchivedStream,
  runArchiver,
  SegmentManifest,
} from '../../../src/archive/index.ts';
import { createCosmosStore, MissingEvents } from '../../../src/store/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { accountCodec, accountFold, fastProcessor } from '../projections/fixtures.ts';
import { type ArchiveEnvironment, archiveEnvironment, useTestAzurite, writeAccounts } from './fixtures.ts';

const cosmos = useTestCosmos();
const azurite = useTestAzurite();

const fastScheduler = { retry: { initialDelayMs: 20, maxDelayMs: 200 } } as const;

async function archiveUpTo(env: ArchiveEnvironment, last: Record<string, bigint>) {
  const running = await runArchiver(createArchiver({ blobs: env.blobs, flush: { maxDelayMs: 20 } }), {
    events: env.events,
    leases: env.leases,
    processor: fastProcessor,
    scheduler: fastScheduler,
  });
  try {
    await Promise.all(
      Object.entries(last).map(([stream, version]) => waitUntilHandled(running.scheduler, stream, version + 1n)),
    );
  } finally {
    await running.stop();
  }
}

async function documentsOf(env: ArchiveEnvironment, stream: string) {
  const { resources } = await env.events.items
    .query<{ id: string; i: number; n: number }>('SELECT c.id, c.i, c.n FROM c', { partitionKey: stream })
    .fetchAll();
  return resources.sort((a, b) => a.i - b.i);
}

/** Every version of the stream is in the container or in the archive (or both). */
async function expectNothingLost(env: ArchiveEnvironment, stream: string) {
  const documents = await documentsOf(env, stream);
  const tip = documents.find((d) => d.id === '-1');
  const held = new Set<number>();
  for (const document of documents) for (let v = document.i; v < document.n; v++) held.add(v);
  for (const event of await readArchivedStream(env.blobs, stream)) held.add(Number(event.index));
  const missing = [...Array(tip?.n ?? 0).keys()].filter((v) => !held.has(v));
  expect(missing, `versions of ${stream} in neither place`).toEqual([]);
}

describe('the pruner', () => {
  it('removes archived batches past the policy, never the tip; a load reads the pruned history from the archive', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['p1', 'p2'], 10);
    await archiveUpTo(env, { 'Account-p1': 10n, 'Account-p2': 10n });
    const before = await documentsOf(env, 'Account-p1');
    expect(before.length).toBeGreaterThan(2);
    const batches = [...before, ...(await documentsOf(env, 'Account-p2'))].filter((d) => d.id !== '-1');

    const report = await pruneCategory({
      events: env.events,
      blobs: env.blobs,
      category: 'Account',
      policy: { olderThanMs: 0 },
    });

    expect(report.batchesDeleted).toBe(batches.length);
    expect((await documentsOf(env, 'Account-p1')).map((d) => d.id)).toEqual(['-1']);
    expect(await env.blobs.get(ArchiveLayout.pruned('Account', 'Account-p1'))).toBeDefined();
    const loaded = await env.accounts.load('p1', { load: { kind: 'RequireLoad' } });
    expect(loaded.state).toEqual({ owner: 'p1', balance: 55, transactions: 10 });
    // the history is still there to append to
    await env.accounts.transact('p1', () => [{ type: 'Deposited', data: { amount: 45 } }]);
    const uncached = createCosmosStore({
      client: cosmos.client,
      databaseId: env.databaseId,
      cache: { maxEntries: 0 },
      prunedHistory: undefined,
    }).category({ name: 'Account', codec: accountCodec, fold: accountFold });
    await expect(uncached.load('p1')).rejects.toBeInstanceOf(MissingEvents);
  });

  it('never deletes a batch the archive does not hold yet', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['late'], 5);
    await archiveUpTo(env, { 'Account-late': 5n });
    await writeAccounts(env, ['late'], 8); // calves more batches the archiver has not seen
    const report = await pruneCategory({
      events: env.events,
      blobs: env.blobs,
      category: 'Account',
      policy: { olderThanMs: 0 },
    });
    const left = await documentsOf(env, 'Account-late');
    expect(left[0]?.i).toBeLessThanOrEqual(6);
    await expectNothingLost(env, 'Account-late');
    expect(report.kept.some((k) => k.stream === 'Account-late' && /not archived/.test(k.reason))).toBe(true);
    const loaded = await env.accounts.load('late', { load: { kind: 'RequireLoad' } });
    expect(loaded.state.transactions).toBe(13);
  });

  it('deletes nothing while the blob store is down', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['down'], 9);
    await archiveUpTo(env, { 'Account-down': 9n });
    const before = await documentsOf(env, 'Account-down');
    env.blobs.down = true;
    await expect(
      pruneCategory({ events: env.events, blobs: env.blobs, category: 'Account', policy: { olderThanMs: 0 } }),
    ).rejects.toBeInstanceOf(ArchiveUnavailable);
    expect(await documentsOf(env, 'Account-down')).toEqual(before);
  });

  it('deletes nothing of a stream when Cosmos DB refuses the delete, and says so', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['refused'], 9);
    await archiveUpTo(env, { 'Account-refused': 9n });
    const before = await documentsOf(env, 'Account-refused');
    cosmos.local?.faults.add({ operation: 'batch', status: 503, count: 20 });
    try {
      await expect(
        pruneCategory({ events: env.events, blobs: env.blobs, category: 'Account', policy: { olderThanMs: 0 } }),
      ).rejects.toBeInstanceOf(PruneDeleteFailed);
    } finally {
      cosmos.local?.faults.clear();
    }
    expect(await documentsOf(env, 'Account-refused')).toEqual(before);
  });

  it('keeps batches whose archived copy no longer reads back intact', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['rot'], 9);
    await archiveUpTo(env, { 'Account-rot': 9n });
    const before = await documentsOf(env, 'Account-rot');
    for await (const name of env.blobs.list(ArchiveLayout.segmentsPrefix('Account'))) {
      const blob = await env.blobs.get(name);
      if (blob === undefined) continue;
      await env.blobs.put(name, blob.bytes.subarray(0, blob.bytes.byteLength - 10), { ...blob.metadata });
    }
    const report = await pruneCategory({
      events: env.events,
      blobs: env.blobs,
      category: 'Account',
      policy: { olderThanMs: 0 },
    });
    expect(report.batchesDeleted).toBe(0);
    expect(report.kept.some((k) => /torn/.test(k.reason))).toBe(true);
    expect(await documentsOf(env, 'Account-rot')).toEqual(before);
  });

  it('keeps batches that the index claims but the segments do not hold', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['claimed'], 4);
    await archiveUpTo(env, { 'Account-claimed': 4n });
    await writeAccounts(env, ['claimed'], 8); // not archived
    for await (const name of env.blobs.list(ArchiveLayout.manifestsPrefix('Account'))) {
      const manifest = SegmentManifest.parse(JSON.parse(new TextDecoder().decode((await env.blobs.get(name))?.bytes)));
      manifest.streams['Account-claimed'] = [[0, 1_000]];
      const bytes = new TextEncoder().encode(JSON.stringify(manifest));
      await env.blobs.put(name, bytes, { sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    const report = await pruneCategory({
      events: env.events,
      blobs: env.blobs,
      category: 'Account',
      policy: { olderThanMs: 0 },
    });
    await expectNothingLost(env, 'Account-claimed');
    expect(report.kept.some((k) => k.stream === 'Account-claimed' && /not in the archive/.test(k.reason))).toBe(true);
  });

  it('prunes a stream that reached the terminal state its category declares, and only that one', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['open', 'closed'], 9);
    await env.accounts.transact('closed', () => [{ type: 'Withdrawn', data: { amount: 45 } }]);
    await archiveUpTo(env, { 'Account-open': 9n, 'Account-closed': 10n });
    const openBefore = await documentsOf(env, 'Account-open');
    await pruneCategory({
      events: env.events,
      blobs: env.blobs,
      category: 'Account',
      policy: { olderThanMs: 86_400_000, isTerminal: (last) => last.type === 'Withdrawn' },
    });
    expect(await documentsOf(env, 'Account-open')).toEqual(openBefore);
    expect((await documentsOf(env, 'Account-closed')).every((d) => d.id === '-1' || d.i >= 8)).toBe(true);
    expect((await env.accounts.load('closed', { load: { kind: 'RequireLoad' } })).state.balance).toBe(0);
  });

  it('archives and prunes a stream written by Equinox, which then still loads', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    const t = '2026-01-02T03:04:05.678Z';
    const equinoxEvent = (c: string, d: unknown) => ({ t, c, d, m: null, correlationId: null, causationId: null });
    const deposits = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => equinoxEvent('Deposited', { amount: from + k }));
    const p = 'Account-equinox';
    await env.events.items.create({
      id: '0',
      p,
      i: 0,
      n: 3,
      e: [equinoxEvent('Opened', { owner: 'Eq' }), ...deposits(1, 3)],
    });
    await env.events.items.create({ id: '3', p, i: 3, n: 6, e: deposits(3, 6) });
    await env.events.items.create({ id: '-1', p, i: 6, n: 8, e: deposits(6, 8), u: [] });
    await archiveUpTo(env, { [p]: 7n });
    const report = await pruneCategory({
      events: env.events,
      blobs: env.blobs,
      category: 'Account',
      policy: { olderThanMs: 0 },
    });
    expect(report.batchesDeleted).toBe(2);
    expect((await documentsOf(env, p)).map((d) => d.id)).toEqual(['-1']);
    const loaded = await env.accounts.load('equinox', { load: { kind: 'RequireLoad' } });
    expect(loaded.state).toEqual({ owner: 'Eq', balance: 28, transactions: 7 });
    expect(loaded.version).toBe(8n);
  });

  it('never runs ahead of the archive: with the archiver killed mid-batch, no event is in neither place', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    const ids = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
    await writeAccounts(env, ids, 10);
    env.blobs.failSegmentWritesAfter = 2;
    const archiver = createArchiver({ blobs: env.blobs, flush: { maxDelayMs: 5, maxEvents: 15 } });
    const running = await runArchiver(archiver, {
      events: env.events,
      leases: env.leases,
      processor: { ...fastProcessor, drainTimeoutMs: 100 },
      scheduler: { ...fastScheduler, maxConcurrentStreams: 2, maxEventsPerSpan: 3 },
    });
    while (archiver.stats().failedFlushes === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    running.scheduler.close(); // killed: whatever was in flight is never acknowledged
    await running.processor.stop().catch(() => undefined);

    const first = await pruneCategory({
      events: env.events,
      blobs: env.blobs,
      category: 'Account',
      policy: { olderThanMs: 0 },
    });
    for (const id of ids) await expectNothingLost(env, `Account-${id}`);
    expect(first.kept.length).toBeGreaterThan(0);

    env.blobs.failSegmentWritesAfter = Number.POSITIVE_INFINITY;
    // the restarted archiver continues from its checkpoint: the streams it had not archived come next
    const unarchived = [...new Set(first.kept.map((k) => k.stream))];
    await archiveUpTo(env, Object.fromEntries(unarchived.map((stream) => [stream, 10n])));
    await pruneCategory({ events: env.events, blobs: env.blobs, category: 'Account', policy: { olderThanMs: 0 } });
    for (const id of ids) {
      await expectNothingLost(env, `Account-${id}`);
      expect((await documentsOf(env, `Account-${id}`)).map((d) => d.id)).toEqual(['-1']);
      expect((await env.accounts.load(id, { load: { kind: 'RequireLoad' } })).state.balance).toBe(55);
    }
  }, 120_000);
});
