import { describe, expect, it } from 'vitest';
import {
  type ArchiveBlobs,
  ArchiveNotCaughtUp,
  archiverProcessorName,
  createArchiver,
  runArchiver,
  runFromArchive,
} from '../../../src/archive/index.ts';
import { listCheckpoints } from '../../../src/feed/index.ts';
import { createReactor } from '../../../src/reactors/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { fastProcessor } from '../projections/fixtures.ts';
import { type ArchiveEnvironment, archiveEnvironment, useTestAzurite, writeAccounts } from './fixtures.ts';

const cosmos = useTestCosmos();
const azurite = useTestAzurite();

const fastScheduler = { retry: { initialDelayMs: 20, maxDelayMs: 200 } } as const;

function startArchiver(env: ArchiveEnvironment) {
  return runArchiver(createArchiver({ blobs: env.blobs, flush: { maxDelayMs: 10 } }), {
    events: env.events,
    leases: env.leases,
    processor: fastProcessor,
    scheduler: fastScheduler,
  });
}

/** A reactor that records what it is given, per stream. */
function recorder(name: string) {
  const seen = new Map<string, number[]>();
  const reactor = createReactor({
    name,
    handle: async (stream, events) => {
      const list = seen.get(stream) ?? [];
      for (const event of events) list.push(Number(event.index));
      seen.set(stream, list);
    },
  });
  return { reactor, seen };
}

const upTo = (n: number) => [...Array(n).keys()];

async function waitForCheckpointPast(env: ArchiveEnvironment, since: number) {
  for (;;) {
    const checkpoints = await listCheckpoints({ leases: env.leases, name: archiverProcessorName() });
    if (checkpoints.some((c) => (c.lastCheckpointAt?.getTime() ?? 0) > since)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('replay from the archive', () => {
  it('hands a new handler every event from the archive, then switches to the feed without losing any', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    const ids = ['r1', 'r2', 'r3'];
    await writeAccounts(env, ids, 8);
    const archiver = await startArchiver(env);
    await Promise.all(ids.map((id) => waitUntilHandled(archiver.scheduler, `Account-${id}`, 9n)));
    await archiver.stop();
    await writeAccounts(env, [...ids, 'r4'], 3); // after the archiver's checkpoint: only the feed has these

    const { reactor, seen } = recorder('Replayed');
    const run = await runFromArchive(reactor, {
      events: env.events,
      leases: env.leases,
      blobs: env.blobs,
      processor: fastProcessor,
      scheduler: fastScheduler,
    });
    try {
      await Promise.all(
        [...ids, 'r4'].map((id) => waitUntilHandled(run.scheduler, `Account-${id}`, id === 'r4' ? 4n : 12n)),
      );
      expect(run.fromArchive?.events).toBe(27);
      for (const id of ids) expect(seen.get(`Account-${id}`)).toEqual(upTo(12));
      expect(seen.get('Account-r4')).toEqual(upTo(4));
    } finally {
      await run.stop();
    }
  });

  it('switches at the checkpoint it noted before reading: what the archiver takes meanwhile comes from the feed', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['m1', 'm2'], 4);
    const archiver = await startArchiver(env);
    try {
      await Promise.all(['m1', 'm2'].map((id) => waitUntilHandled(archiver.scheduler, `Account-${id}`, 5n)));
      await waitForCheckpointPast(env, 0);
      // While the replay reads its first segment, more events are written, archived and checkpointed.
      let paused = false;
      const blobs: ArchiveBlobs = {
        ...env.blobs,
        list: (prefix) => env.blobs.list(prefix),
        put: (...args) => env.blobs.put(...args),
        properties: (name) => env.blobs.properties(name),
        remove: (name) => env.blobs.remove(name),
        async get(name) {
          if (!paused) {
            paused = true;
            const since = Date.now();
            await writeAccounts(env, ['m1', 'm2'], 3);
            await Promise.all(['m1', 'm2'].map((id) => waitUntilHandled(archiver.scheduler, `Account-${id}`, 8n)));
            await waitForCheckpointPast(env, since);
          }
          return env.blobs.get(name);
        },
      };
      const { reactor, seen } = recorder('Meanwhile');
      const run = await runFromArchive(reactor, {
        events: env.events,
        leases: env.leases,
        blobs,
        processor: fastProcessor,
        scheduler: fastScheduler,
      });
      try {
        await Promise.all(['m1', 'm2'].map((id) => waitUntilHandled(run.scheduler, `Account-${id}`, 8n)));
        for (const id of ['m1', 'm2']) expect(seen.get(`Account-${id}`)).toEqual(upTo(8));
      } finally {
        await run.stop();
      }
    } finally {
      await archiver.stop();
    }
  });

  it('refuses to start from an archive whose archiver has never checkpointed', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    const { reactor } = recorder('TooEarly');
    await expect(
      runFromArchive(reactor, { events: env.events, leases: env.leases, blobs: env.blobs, processor: fastProcessor }),
    ).rejects.toBeInstanceOf(ArchiveNotCaughtUp);
  });
});
