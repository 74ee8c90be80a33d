import {
  ChangeFeedMode,
  ChangeFeedPolicy,
  ChangeFeedRetentionTimeSpan,
  ChangeFeedStartFrom,
  type Container,
  type Database,
  StatusCodes,
} from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';

// The "all versions and deletes" change feed through the SDK: every create, replace and delete within the
// container's retention, with its metadata, from now or from a continuation.

const cosmos = useTestCosmos({ partitions: 2 });
let database: Database;
let container: Container;

type Doc = { id: string; p: string; v: number };
type Change = {
  current: Doc | null;
  previous?: Doc;
  metadata: {
    operationType: string;
    lsn: number;
    crts: number;
    previousImageLSN?: number;
    id?: string;
    partitionKey?: Record<string, unknown>;
  };
};

const retention = new ChangeFeedPolicy(ChangeFeedRetentionTimeSpan.fromMinutes(10));

function allVersions(target: Container, changeFeedStartFrom: ChangeFeedStartFrom) {
  return target.items.getChangeFeedIterator<Change>({
    changeFeedMode: ChangeFeedMode.AllVersionsAndDeletes,
    changeFeedStartFrom,
  });
}

/** Reads until the feed is caught up; returns the changes and the continuation to resume from. */
async function drain(iterator: ReturnType<typeof allVersions>): Promise<{ changes: Change[]; token: string }> {
  const changes: Change[] = [];
  for (;;) {
    const page = await iterator.readNext();
    if (page.statusCode === StatusCodes.NotModified) return { changes, token: page.continuationToken };
    changes.push(...page.result);
  }
}

beforeAll(async () => {
  database = await cosmos.database('all-versions');
  ({ container } = await database.containers.create({
    id: 'events',
    partitionKey: { paths: ['/p'] },
    changeFeedPolicy: retention,
  }));
});

describe('the all versions and deletes change feed', () => {
  it('keeps the container change feed policy', async () => {
    const { resource } = await container.read();
    expect(resource?.changeFeedPolicy).toMatchObject({ retentionDuration: 10 });
  });

  it('returns creates, replaces and deletes in order, with their metadata, from now', async () => {
    const iterator = allVersions(container, ChangeFeedStartFrom.Now());
    await drain(iterator);
    await container.items.create({ id: 'a', p: 'S1', v: 1 });
    await container.item('a', 'S1').replace({ id: 'a', p: 'S1', v: 2 });
    await container.items.create({ id: 'b', p: 'S2', v: 1 });
    await container.item('a', 'S1').delete();
    const { changes } = await drain(iterator);
    const byId = (id: string) => changes.filter((change) => (change.current?.id ?? change.metadata.id) === id);
    expect(byId('a').map((change) => change.metadata.operationType)).toEqual(['create', 'replace', 'delete']);
    expect(byId('b').map((change) => change.metadata.operationType)).toEqual(['create']);
    const [created, replaced, deleted] = byId('a');
    expect(created?.current).toMatchObject({ id: 'a', v: 1 });
    expect(replaced?.current).toMatchObject({ id: 'a', v: 2 });
    expect(replaced?.metadata.previousImageLSN).toBe(created?.metadata.lsn);
    expect(deleted?.current ?? null).toBeNull();
    expect(deleted?.metadata).toMatchObject({ id: 'a', partitionKey: { p: 'S1' } });
    expect(deleted?.metadata.lsn).toBeGreaterThan(replaced!.metadata.lsn);
    expect(created?.metadata.crts).toBeGreaterThan(1_600_000_000);
  });

  it('resumes from a continuation with only the later changes', async () => {
    const { token } = await drain(allVersions(container, ChangeFeedStartFrom.Now()));
    await container.items.upsert({ id: 'c', p: 'S3', v: 1 });
    await container.items.upsert({ id: 'c', p: 'S3', v: 2 });
    const { changes } = await drain(allVersions(container, ChangeFeedStartFrom.Continuation(token)));
    expect(changes.map((change) => [change.current?.id, change.current?.v, change.metadata.operationType])).toEqual([
      ['c', 1, 'create'],
      ['c', 2, 'replace'],
    ]);
  });

  it('answers 400 to a start from the beginning', async () => {
    await expect(allVersions(container, ChangeFeedStartFrom.Beginning()).readNext()).rejects.toMatchObject({
      code: 400,
    });
  });

  it('answers 400 on a container without a change feed retention', async () => {
    const { container: plain } = await database.containers.create({ id: 'plain', partitionKey: { paths: ['/p'] } });
    await expect(allVersions(plain, ChangeFeedStartFrom.Now()).readNext()).rejects.toMatchObject({ code: 400 });
  });

  it('answers 400 to a continuation from before the retention began', async (test) => {
    requireLocal(cosmos, test);
    const { container: late } = await database.containers.create({ id: 'late', partitionKey: { paths: ['/p'] } });
    await late.items.create({ id: 'x', p: 'S1', v: 1 });
    const latest = late.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Now() });
    let token = '';
    for (;;) {
      const page = await latest.readNext();
      token = page.continuationToken;
      if (page.statusCode === StatusCodes.NotModified) break;
    }
    await late.items.create({ id: 'y', p: 'S1', v: 1 });
    const { resource } = await late.read();
    await late.replace({ ...resource!, id: 'late', partitionKey: { paths: ['/p'] }, changeFeedPolicy: retention });
    const error = await allVersions(late, ChangeFeedStartFrom.Continuation(token))
      .readNext()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 400 });
    expect(String((error as Error).message)).toContain('outside the retention');
  });

  it('loses and repeats nothing across a live split', async (test) => {
    const local = requireLocal(cosmos, test);
    const { container: splitting } = await database.containers.create({
      id: 'splitting',
      partitionKey: { paths: ['/p'] },
      changeFeedPolicy: retention,
    });
    const { token } = await drain(allVersions(splitting, ChangeFeedStartFrom.Now()));
    for (let i = 0; i < 20; i++) await splitting.items.create({ id: `d${i}`, p: `S${i}`, v: 1 });
    for (let i = 0; i < 20; i += 2) await splitting.item(`d${i}`, `S${i}`).delete();
    await local.split(database.id, 'splitting');
    const { changes } = await drain(allVersions(splitting, ChangeFeedStartFrom.Continuation(token)));
    expect(changes.filter((change) => change.metadata.operationType === 'create')).toHaveLength(20);
    expect(changes.filter((change) => change.metadata.operationType === 'delete')).toHaveLength(10);
    expect(new Set(changes.map((change) => change.metadata.lsn)).size).toBe(30);
  });

  it('counts as a change-feed read for fault rules and metrics', async (test) => {
    const local = requireLocal(cosmos, test);
    local.resetMetrics();
    local.faults.add({ operation: 'changefeed', status: 503, count: 100 });
    try {
      await expect(allVersions(container, ChangeFeedStartFrom.Now()).readNext()).rejects.toMatchObject({ code: 503 });
    } finally {
      local.faults.clear();
    }
    await allVersions(container, ChangeFeedStartFrom.Now()).readNext();
    expect(local.metrics().byOperation.changefeed.requests).toBeGreaterThan(1);
    expect(local.metrics().byOperation.query.requests).toBe(0);
  });
});
