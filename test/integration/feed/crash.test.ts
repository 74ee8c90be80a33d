import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChangeFeedStartFrom, type Container } from '@azure/cosmos';
import { afterAll, describe, expect, it } from 'vitest';
import { listCheckpoints } from '../../../src/feed/index.ts';
import { type ChildSettings, childEnvironment } from '../../support/processor-child.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { createWriter, eventsOf, feedContainers, streamNames, waitUntil } from './fixtures.ts';

const childEntry = fileURLToPath(new URL('../../support/processor-child.ts', import.meta.url));

const cosmos = useTestCosmos({ partitions: 4 });
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function startChild(settings: ChildSettings): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', childEntry], {
    env: { ...process.env, ...childEnvironment(settings) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

interface Handled {
  instance: string;
  stream: string;
  version: number;
}

const readLog = (path: string): Handled[] =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const [instance = '', stream = '', version = ''] = line.split(' ');
          return { instance, stream, version: Number(version) };
        })
    : [];

/** Every event in documents after each lease's checkpoint: what the next owner may legitimately re-deliver. */
async function afterCheckpoints(events: Container, leases: Container, name: string): Promise<Set<string>> {
  const redeliverable = new Set<string>();
  for (const checkpoint of await listCheckpoints({ leases, name })) {
    const ranges = await events.getFeedRanges();
    const iterator = events.items.getChangeFeedIterator<Record<string, unknown>>({
      changeFeedStartFrom:
        checkpoint.continuation === undefined
          ? ChangeFeedStartFrom.Beginning(
              ranges.find((r) => r.minInclusive === checkpoint.feedRange.minInclusive) ?? ranges[0],
            )
          : ChangeFeedStartFrom.Continuation(checkpoint.continuation),
      maxItemCount: 1000,
    });
    for (;;) {
      const page = await iterator.readNext();
      if (page.statusCode === 304 || page.result.length === 0) break;
      for (const document of page.result)
        for (const e of eventsOf(document)) redeliverable.add(`${e.stream}@${e.version}`);
    }
  }
  return redeliverable;
}

describe('a processor killed mid-batch', () => {
  it('loses nothing when restarted, and re-delivers only events after its last checkpoint', async () => {
    const { database, events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    const streams = streamNames(16);
    await writer.appendToAll(streams, 4);
    const log = join(mkdtempSync(join(tmpdir(), 'tributary-crash-')), 'handled.log');
    const settings = (instanceId: string): ChildSettings => ({
      endpoint: cosmos.endpoint,
      key: cosmos.key,
      database: database.id,
      events: events.id,
      leases: leases.id,
      name: 'crashy',
      instanceId,
      log,
      handleDelayMs: 100,
      maxItemsPerPage: 2,
      expiryMs: 1_000,
    });
    const total = streams.length * 4 * 2;

    const first = startChild(settings('first'));
    await waitUntil(
      'the first instance has handled a quarter of the events and written a checkpoint',
      async () =>
        readLog(log).length >= total / 4 &&
        (await listCheckpoints({ leases, name: 'crashy' })).some((checkpoint) => checkpoint.continuation !== undefined),
      45_000,
    );
    first.kill('SIGKILL');
    await exited(first);
    const handledBeforeKill = readLog(log);
    expect(handledBeforeKill.length).toBeLessThan(total);
    const redeliverable = await afterCheckpoints(events, leases, 'crashy');
    // the checkpoints had moved: some handled events lie before them and must not come again
    expect(redeliverable.size).toBeLessThan(total);

    await writer.appendToAll(streams, 1);
    const second = startChild(settings('second'));
    const expected = [...writer.next].reduce((sum, [, n]) => sum + n, 0);
    const everything = () => new Set(readLog(log).map((h) => `${h.stream}@${h.version}`)).size === expected;
    await waitUntil('the second instance has taken over the expired leases and handled the rest', everything, 45_000);
    second.kill('SIGTERM');
    await exited(second);

    const handled = readLog(log);
    const byFirst = new Set(handledBeforeKill.map((h) => `${h.stream}@${h.version}`));
    const repeated = handled.filter((h) => h.instance === 'second' && byFirst.has(`${h.stream}@${h.version}`));
    for (const h of repeated) expect(redeliverable.has(`${h.stream}@${h.version}`)).toBe(true);
    for (const stream of streams) {
      for (const instance of ['first', 'second']) {
        const versions = handled.filter((h) => h.instance === instance && h.stream === stream).map((h) => h.version);
        // within one process a stream's events arrive in order without holes ...
        for (let k = 1; k < versions.length; k += 1) expect(versions[k]).toBe((versions[k - 1] ?? 0) + 1);
      }
      // ... and the second process starts no later than where the first one stopped
      const lastByFirst = Math.max(-1, ...handledBeforeKill.filter((h) => h.stream === stream).map((h) => h.version));
      const firstBySecond = handled.find((h) => h.instance === 'second' && h.stream === stream)?.version;
      if (firstBySecond !== undefined) expect(firstBySecond).toBeLessThanOrEqual(lastByFirst + 1);
    }
  }, 120_000);
});

describe('a processor started from now and killed before its first checkpoint interval', () => {
  it('has its next owner resume from the position it started at, so changes written meanwhile are not skipped', async () => {
    const { database, events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    const log = join(mkdtempSync(join(tmpdir(), 'tributary-now-')), 'handled.log');
    const settings = (instanceId: string): ChildSettings => ({
      endpoint: cosmos.endpoint,
      key: cosmos.key,
      database: database.id,
      events: events.id,
      leases: leases.id,
      name: 'live',
      instanceId,
      log,
      handleDelayMs: 1,
      maxItemsPerPage: 100,
      expiryMs: 1_000,
      startFrom: 'now',
      // no checkpoint is written while it runs: only the position stored when the lease was taken
      checkpointIntervalMs: 3_600_000,
    });
    const startedLine = (child: ChildProcess) =>
      new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve());
        child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it started`)));
      });

    const first = startChild(settings('first'));
    await startedLine(first);
    const during = streamNames(8, 'During');
    await writer.appendToAll(during, 1);
    await waitUntil('the first instance has handled the changes written while it ran', () =>
      during.every((stream) => readLog(log).some((h) => h.instance === 'first' && h.stream === stream)),
    );
    first.kill('SIGKILL');
    await exited(first);

    const second = startChild(settings('second'));
    await startedLine(second);
    await waitUntil('the second instance has taken over the expired leases', async () =>
      (await listCheckpoints({ leases, name: 'live' })).every((checkpoint) => checkpoint.owner?.startsWith('second-')),
    );
    const after = streamNames(8, 'After');
    await writer.appendToAll(after, 1);
    await waitUntil(
      'the second instance has handled the changes written after it started',
      () => after.every((stream) => readLog(log).some((h) => h.instance === 'second' && h.stream === stream)),
      30_000,
    );
    second.kill('SIGKILL');
    await exited(second);
    const bySecond = new Set(readLog(log).flatMap((h) => (h.instance === 'second' ? [h.stream] : [])));
    expect(during.filter((stream) => !bySecond.has(stream))).toEqual([]);
  }, 60_000);
});
