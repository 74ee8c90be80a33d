import { describe, expect, it } from 'vitest';
import {
  createArchiver,
  eraseStream,
  listErasures,
  pruneCategory,
  readArchivedStream,
  runArchiver,
} from '../../../src/archive/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { fastProcessor } from '../projections/fixtures.ts';
import { archiveEnvironment, useTestAzurite, writeAccounts } from './fixtures.ts';

const cosmos = useTestCosmos();
const azurite = useTestAzurite();

describe('erasing a stream', () => {
  it('removes it from the container and the archive, keeps its neighbours, and records what was done', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['gone', 'kept'], 9);
    const running = await runArchiver(createArchiver({ blobs: env.blobs, flush: { maxDelayMs: 50 } }), {
      events: env.events,
      leases: env.leases,
      processor: fastProcessor,
    });
    await Promise.all(['gone', 'kept'].map((id) => waitUntilHandled(running.scheduler, `Account-${id}`, 10n)));
    await running.stop();
    await pruneCategory({ events: env.events, blobs: env.blobs, category: 'Account', policy: { olderThanMs: 0 } });
    const keptBefore = await readArchivedStream(env.blobs, 'Account-kept');

    const record = await eraseStream({
      events: env.events,
      blobs: env.blobs,
      stream: 'Account-gone',
      reason: 'GDPR request 4711',
      requestedBy: 'dpo@example.com',
    });

    const { resources } = await env.events.items
      .query('SELECT c.id FROM c', { partitionKey: 'Account-gone' })
      .fetchAll();
    expect(resources).toEqual([]);
    expect(await readArchivedStream(env.blobs, 'Account-gone')).toEqual([]);
    expect(await readArchivedStream(env.blobs, 'Account-kept')).toEqual(keptBefore);
    expect((await env.accounts.load('kept', { load: { kind: 'RequireLoad' } })).state.balance).toBe(45);
    expect(record).toMatchObject({ stream: 'Account-gone', archivedEvents: 10, reason: 'GDPR request 4711' });
    expect(record.containerDocuments).toBeGreaterThan(0);
    expect(await listErasures(env.blobs)).toEqual([record]);
    // erased, the name starts afresh
    expect((await env.accounts.load('gone', { load: { kind: 'RequireLoad' } })).version).toBe(0n);
  });
});
