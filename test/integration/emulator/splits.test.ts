import { ChangeFeedStartFrom, type Container, StatusCodes } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshContainer } from '../../support/containers.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { rest } from './rest.ts';

type Doc = { id: string; p: string };

const cosmos = useTestCosmos();
let databaseId: string;

beforeAll(async () => {
  databaseId = (await cosmos.database('splits')).id;
});

async function partitionKeyRanges(container: Container) {
  const raw = await rest(cosmos, 'GET', `dbs/${databaseId}/colls/${container.id}/pkranges`);
  expect(raw.status).toBe(200);
  return (
    raw.body as { PartitionKeyRanges: { id: string; minInclusive: string; maxExclusive: string; parents: string[] }[] }
  ).PartitionKeyRanges;
}

describe('partition splits', () => {
  it('replaces a split range by its two children, keeping the ranges complete and contiguous', async (test) => {
    const local = requireLocal(cosmos, test);
    const container = await freshContainer(cosmos, databaseId);
    const [left, right] = await local.split(databaseId, container.id, '0');
    const ranges = await partitionKeyRanges(container);
    expect(ranges.map((range) => range.id)).toEqual([left, right]);
    expect(ranges[0]!.minInclusive).toBe('');
    expect(ranges[0]!.maxExclusive).toBe(ranges[1]!.minInclusive);
    expect(ranges[1]!.maxExclusive).toBe('FF');
    expect(ranges.every((range) => range.parents.includes('0'))).toBe(true);
    expect(await container.getFeedRanges()).toHaveLength(2);
  });

  it('answers 410 with substatus 1002 to a request naming a range that was split', async (test) => {
    const local = requireLocal(cosmos, test);
    const container = await freshContainer(cosmos, databaseId);
    await local.split(databaseId, container.id, '0');
    const raw = await rest(cosmos, 'GET', `dbs/${databaseId}/colls/${container.id}/docs`, {
      headers: { 'a-im': 'Incremental feed', 'x-ms-documentdb-partitionkeyrangeid': '0' },
    });
    expect(raw.status).toBe(410);
    expect(raw.headers.get('x-ms-substatus')).toBe('1002');
    expect(raw.body).toMatchObject({ code: 'Gone' });
  });

  it('loses and repeats nothing when a range splits in the middle of a change-feed read', async (test) => {
    const local = requireLocal(cosmos, test);
    const container = await freshContainer(cosmos, databaseId);
    const written: string[] = [];
    for (let i = 0; i < 40; i++) {
      written.push(`d${i}`);
      await container.items.create({ id: `d${i}`, p: `Stream-${i}` });
    }
    const iterator = container.items.getChangeFeedIterator({
      changeFeedStartFrom: ChangeFeedStartFrom.Beginning(),
      maxItemCount: 10,
    });
    const seen: string[] = [];
    const first = await iterator.readNext();
    seen.push(...(first.result as unknown as Doc[]).map((document) => document.id));
    await local.split(databaseId, container.id, '0');
    for (let i = 40; i < 60; i++) {
      written.push(`d${i}`);
      await container.items.create({ id: `d${i}`, p: `Stream-${i}` });
    }
    for (;;) {
      const page = await iterator.readNext();
      if (page.statusCode === StatusCodes.NotModified) break;
      seen.push(...(page.result as unknown as Doc[]).map((document) => document.id));
    }
    expect(seen.length).toBe(written.length);
    expect([...seen].sort()).toEqual([...written].sort());
    // The continuation now spans the children; resuming from it sees only what comes next.
    const resumed = container.items.getChangeFeedIterator({
      changeFeedStartFrom: ChangeFeedStartFrom.Continuation((await iterator.readNext()).continuationToken),
    });
    await container.items.create({ id: 'late', p: 'Stream-late' });
    const late: string[] = [];
    for (;;) {
      const page = await resumed.readNext();
      if (page.statusCode === StatusCodes.NotModified) break;
      late.push(...(page.result as unknown as Doc[]).map((document) => document.id));
    }
    expect(late).toEqual(['late']);
  });

  it('splits the range a change-feed request names when a 410 fault fires', async (test) => {
    const local = requireLocal(cosmos, test);
    const container = await freshContainer(cosmos, databaseId);
    for (let i = 0; i < 20; i++) await container.items.create({ id: `d${i}`, p: `Stream-${i}` });
    local.faults.add({ operation: 'changefeed', status: 410, count: 1 });
    const iterator = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
    const seen: string[] = [];
    for (;;) {
      const page = await iterator.readNext();
      if (page.statusCode === StatusCodes.NotModified) break;
      seen.push(...(page.result as unknown as Doc[]).map((document) => document.id));
    }
    expect(seen.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `d${i}`).sort());
    expect(await partitionKeyRanges(container)).toHaveLength(2);
  });

  it('keeps point operations and queries working across a split', async (test) => {
    const local = requireLocal(cosmos, test);
    const container = await freshContainer(cosmos, databaseId);
    for (let i = 0; i < 10; i++) await container.items.create({ id: `d${i}`, p: `Stream-${i}`, i });
    await local.split(databaseId, container.id);
    expect((await container.item('d3', 'Stream-3').read()).resource.i).toBe(3);
    await container.items.create({ id: 'd10', p: 'Stream-10', i: 10 });
    const { resources } = await container.items.query('SELECT VALUE c.i FROM c ORDER BY c.i').fetchAll();
    expect(resources).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });
});
