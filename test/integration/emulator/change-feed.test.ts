import { ChangeFeedStartFrom, type Container, StatusCodes } from '@azure/cosmos';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshContainer } from '../../support/containers.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { rest } from './rest.ts';

type Doc = { id: string; p: string; _lsn: number; v?: number };

const cosmos = useTestCosmos({ partitions: 2 });
let databaseId: string;

beforeAll(async () => {
  databaseId = (await cosmos.database('feed')).id;
});

/** Reads pages until a 304; returns the documents and the continuation token of the 304. */
async function drain(iterator: ReturnType<Container['items']['getChangeFeedIterator']>) {
  const documents: Doc[] = [];
  for (;;) {
    const page = await iterator.readNext();
    if (page.statusCode === StatusCodes.NotModified) return { documents, continuation: page.continuationToken };
    documents.push(...(page.result as unknown as Doc[]));
  }
}

const ids = (documents: Doc[]) => documents.map((document) => document.id).sort();

describe('change feed', () => {
  it('gives two feed-range readers every document exactly once between them', async () => {
    const container = await freshContainer(cosmos, databaseId);
    const written = Array.from({ length: 60 }, (_, i) => `s${i}`);
    for (const id of written) await container.items.create({ id, p: `Stream-${id}` });
    const ranges = await container.getFeedRanges();
    // The local server was asked for 2 physical partitions; another endpoint has however many it has.
    if (cosmos.local) expect(ranges).toHaveLength(2);
    const perRange = await Promise.all(
      ranges.map((range) =>
        drain(
          container.items.getChangeFeedIterator({
            changeFeedStartFrom: ChangeFeedStartFrom.Beginning(range),
            maxItemCount: 7,
          }),
        ),
      ),
    );
    if (cosmos.local) for (const { documents } of perRange) expect(documents.length).toBeGreaterThan(0);
    const all = perRange.flatMap(({ documents }) => documents);
    expect(ids(all)).toEqual([...written].sort());
  });

  it('delivers documents in LSN order within a range, each carrying _lsn, _ts and _etag', async () => {
    const container = await freshContainer(cosmos, databaseId);
    for (let i = 0; i < 10; i++) await container.items.create({ id: `d${i}`, p: 'Stream-1' });
    const { documents } = await drain(
      container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning(), maxItemCount: 3 }),
    );
    expect(documents.map((document) => document.id)).toEqual(Array.from({ length: 10 }, (_, i) => `d${i}`));
    const lsns = documents.map((document) => document._lsn);
    expect([...lsns].sort((a, b) => a - b)).toEqual(lsns);
    for (const document of documents) expect(document).toHaveProperty('_etag');
    for (const document of documents) expect(document).toHaveProperty('_ts');
  });

  it('shows a document updated twice once, at its newest version', async () => {
    const container = await freshContainer(cosmos, databaseId);
    await container.items.create({ id: 'tip', p: 'Stream-1', v: 1 });
    await container.items.create({ id: 'other', p: 'Stream-2', v: 1 });
    await container.items.upsert({ id: 'tip', p: 'Stream-1', v: 2 });
    await container.items.upsert({ id: 'tip', p: 'Stream-1', v: 3 });
    const { documents } = await drain(
      container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() }),
    );
    const versions = documents.map((document) => [document.id, document.v]);
    expect(versions.sort()).toEqual([
      ['other', 1],
      ['tip', 3],
    ]);
  });

  it('continues after a 304 with only the new documents (a 304 carries a continuation)', async () => {
    const container = await freshContainer(cosmos, databaseId);
    await container.items.create({ id: 'a', p: 'Stream-1' });
    const iterator = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
    const first = await drain(iterator);
    expect(ids(first.documents)).toEqual(['a']);
    await container.items.create({ id: 'b', p: 'Stream-2' });
    expect(ids((await drain(iterator)).documents)).toEqual(['b']);
    await container.items.create({ id: 'c', p: 'Stream-3' });
    const resumed = container.items.getChangeFeedIterator({
      changeFeedStartFrom: ChangeFeedStartFrom.Continuation(first.continuation),
    });
    expect(ids((await drain(resumed)).documents)).toEqual(['b', 'c']);
  });

  it('starts from now: only documents written after the first read', async () => {
    const container = await freshContainer(cosmos, databaseId);
    await container.items.create({ id: 'before', p: 'Stream-1' });
    const iterator = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Now() });
    expect((await drain(iterator)).documents).toEqual([]);
    await container.items.create({ id: 'after', p: 'Stream-1' });
    expect(ids((await drain(iterator)).documents)).toEqual(['after']);
  });

  it('starts from a point in time', async () => {
    const container = await freshContainer(cosmos, databaseId);
    await container.items.create({ id: 'old', p: 'Stream-1' });
    const { resource } = await container.item('old', 'Stream-1').read();
    // If-Modified-Since has one-second resolution: start from the second after the old document's.
    const start = new Date((resource._ts + 1) * 1000);
    while (Date.now() < start.getTime()) await new Promise((resolve) => setTimeout(resolve, 50));
    await container.items.create({ id: 'new', p: 'Stream-2' });
    const iterator = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Time(start) });
    expect(ids((await drain(iterator)).documents)).toEqual(['new']);
  });

  it('reads the feed of one partition key', async () => {
    const container = await freshContainer(cosmos, databaseId);
    for (let i = 0; i < 5; i++) await container.items.create({ id: `a${i}`, p: 'Stream-A' });
    for (let i = 0; i < 5; i++) await container.items.create({ id: `b${i}`, p: 'Stream-B' });
    const iterator = container.items.getChangeFeedIterator({
      changeFeedStartFrom: ChangeFeedStartFrom.Beginning('Stream-A'),
      maxItemCount: 2,
    });
    expect(ids((await drain(iterator)).documents)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
  });

  it('never splits the documents of one transactional batch across pages', async () => {
    const container = await freshContainer(cosmos, databaseId);
    await container.items.batch(
      Array.from({ length: 5 }, (_, i) => ({
        operationType: 'Create' as const,
        resourceBody: { id: `t${i}`, p: 'S' },
      })),
      'S',
    );
    const page = await container.items
      .getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning(), maxItemCount: 2 })
      .readNext();
    expect(page.result).toHaveLength(5);
  });

  it('answers 304 with an etag on the wire', async () => {
    const container = await freshContainer(cosmos, databaseId);
    const raw = await rest(cosmos, 'GET', `dbs/${databaseId}/colls/${container.id}/docs`, {
      headers: { 'a-im': 'Incremental feed', 'if-none-match': '*', 'x-ms-documentdb-partitionkeyrangeid': '0' },
    });
    expect(raw.status).toBe(304);
    expect(raw.headers.get('etag')).toMatch(/^"\d+"$/);
  });
});

describe('change feed scoping', () => {
  it('narrows a range read to an EPK sub-range with x-ms-start-epk / x-ms-end-epk', async () => {
    const container = await freshContainer(cosmos, databaseId);
    for (let i = 0; i < 30; i++) await container.items.create({ id: `e${i}`, p: `Stream-${i}` });
    const { body } = await rest(cosmos, 'GET', `dbs/${databaseId}/colls/${container.id}/pkranges`);
    const range = (body as { PartitionKeyRanges: { id: string; minInclusive: string; maxExclusive: string }[] })
      .PartitionKeyRanges[0]!;
    const middle = '10000000000000000000000000000000';
    const read = async (start: string, end: string) => {
      const raw = await rest(cosmos, 'GET', `dbs/${databaseId}/colls/${container.id}/docs`, {
        headers: {
          'a-im': 'Incremental feed',
          'x-ms-documentdb-partitionkeyrangeid': range.id,
          'x-ms-start-epk': start,
          'x-ms-end-epk': end,
          'x-ms-documentdb-responsecontinuationtokenlimitinkb': '1',
        },
      });
      return raw.status === 304 ? [] : (raw.body as { Documents: Doc[] }).Documents.map((document) => document.id);
    };
    const whole = await read(range.minInclusive, range.maxExclusive);
    const low = await read(range.minInclusive, middle);
    const high = await read(middle, range.maxExclusive);
    expect(low.length).toBeGreaterThan(0);
    expect(high.length).toBeGreaterThan(0);
    expect([...low, ...high].sort()).toEqual([...whole].sort());
  });

  it('reads all documents of a container with readAll()', async () => {
    const container = await freshContainer(cosmos, databaseId);
    for (let i = 0; i < 12; i++) await container.items.create({ id: `r${i}`, p: `Stream-${i}` });
    const { resources } = await container.items.readAll({ maxItemCount: 5 }).fetchAll();
    expect(resources.map((document) => document.id).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `r${i}`).sort(),
    );
  });
});
