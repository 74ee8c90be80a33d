import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ArchiveLayout,
  createArchiver,
  InvalidArchiveOptions,
  readArchivedStream,
  runArchiver,
  SegmentManifest,
} from '../../../src/archive/index.ts';
import { listCheckpoints, resetCheckpoints } from '../../../src/feed/index.ts';
import { waitUntilFailed, waitUntilHandled } from '../../../src/testing/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { fastProcessor } from '../projections/fixtures.ts';
import { type ArchiveEnvironment, archiveEnvironment, useTestAzurite, writeAccounts } from './fixtures.ts';

const cosmos = useTestCosmos();
const azurite = useTestAzurite();

const fastScheduler = { retry: { initialDelayMs: 20, maxDelayMs: 200 } } as const;
const ids = ['a', 'b', 'c', 'd', 'e'];

async function archiveAll(env: ArchiveEnvironment, streams: readonly string[], last: bigint) {
  const archiver = createArchiver({ blobs: env.blobs, flush: { maxDelayMs: 20 } });
  const running = await runArchiver(archiver, {
    events: env.events,
    leases: env.leases,
    processor: fastProcessor,
    scheduler: fastScheduler,
  });
  try {
    await Promise.all(streams.map((stream) => waitUntilHandled(running.scheduler, stream, last + 1n)));
  } finally {
    await running.stop();
  }
  return archiver;
}

async function expectArchiveMatchesContainer(env: ArchiveEnvironment, streams: readonly string[]) {
  for (const stream of streams) {
    const stored = await env.store.readStream(stream);
    const archived = await readArchivedStream(env.blobs, stream);
    expect(archived.map((e) => [e.index, e.type, e.data, e.timestamp.toISOString()])).toEqual(
      stored.map((e) => [e.index, e.type, e.data, e.timestamp.toISOString()]),
    );
  }
}

describe('the archiver', () => {
  it('copies every event of every stream, in order, into JSON-lines segments with a manifest each', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ids, 6);
    const streams = ids.map((id) => `Account-${id}`);
    const archiver = await archiveAll(env, streams, 6n);

    await expectArchiveMatchesContainer(env, streams);
    const names: string[] = [];
    for await (const name of env.blobs.list(ArchiveLayout.prefix('Account'))) names.push(name);
    const segments = names.filter(ArchiveLayout.isSegment);
    expect(segments.length).toBe(archiver.stats().segments);
    for (const segment of segments) {
      expect(segment).toMatch(
        /^v1\/Account\/segments\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/\d{8}T\d{9}Z-[0-9a-f]{6}-\d{8}\.jsonl\.gz$/,
      );
      expect(names).toContain(ArchiveLayout.manifestOf(segment));
    }
    // Readable without Tributary (zcat | jq): gzipped JSON lines, and a JSON manifest.
    const first = segments[0] as string;
    const lines = gunzipSync((await env.blobs.get(first))?.bytes ?? new Uint8Array())
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({
      p: expect.stringMatching(/^Account-/),
      i: expect.any(Number),
      c: expect.any(String),
    });
    const manifest = SegmentManifest.parse(
      JSON.parse(new TextDecoder().decode((await env.blobs.get(ArchiveLayout.manifestOf(first)))?.bytes)),
    );
    expect(manifest.events).toBe(lines.length);
  });

  it('holds its checkpoint while the blob store is down, and archives everything once it is back', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['down'], 3);
    env.blobs.down = true;
    const archiver = createArchiver({ blobs: env.blobs, flush: { maxDelayMs: 5 } });
    const running = await runArchiver(archiver, {
      events: env.events,
      leases: env.leases,
      processor: fastProcessor,
      scheduler: fastScheduler,
    });
    try {
      await waitUntilFailed(running.scheduler, 'Account-down', 3);
      await new Promise((resolve) => setTimeout(resolve, 300)); // several checkpoint intervals
      const checkpoints = await listCheckpoints({ leases: env.leases, name: archiver.processorName });
      expect(checkpoints.every((checkpoint) => checkpoint.continuation === undefined)).toBe(true);
      env.blobs.down = false;
      await waitUntilHandled(running.scheduler, 'Account-down', 4n);
    } finally {
      await running.stop();
    }
    await expectArchiveMatchesContainer(env, ['Account-down']);
  });

  it('detects a torn write by reading it back, and writes it again', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['torn'], 5);
    env.blobs.tearWrites = 1;
    await archiveAll(env, ['Account-torn'], 5n);
    expect(env.blobs.torn).toBe(1);
    await expectArchiveMatchesContainer(env, ['Account-torn']);
  });

  it('refuses parking, which would let its checkpoint pass events it has not archived', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await expect(
      runArchiver(createArchiver({ blobs: env.blobs }), {
        events: env.events,
        leases: env.leases,
        parking: { deadLetters: env.leases },
      }),
    ).rejects.toBeInstanceOf(InvalidArchiveOptions);
  });

  it('archives again from the beginning without changing what readers of the archive see', async () => {
    const env = await archiveEnvironment(cosmos, azurite());
    await writeAccounts(env, ['again'], 4);
    const first = await archiveAll(env, ['Account-again'], 4n);
    await resetCheckpoints({ leases: env.leases, name: first.processorName });
    const second = await archiveAll(env, ['Account-again'], 4n);
    expect(second.stats().events).toBeGreaterThan(0);
    await expectArchiveMatchesContainer(env, ['Account-again']);
  });
});
