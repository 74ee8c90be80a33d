import { ChangeFeedStartFrom, StatusCodes } from '@azure/cosmos';
import { startTestCosmos } from './test/support/cosmos.ts';
const N = Number(process.argv[2] ?? 100000);
let t = performance.now();
const cosmos = await startTestCosmos({ partitions: 4 });
console.log('startup ms', (performance.now() - t).toFixed(1));
const db = await cosmos.database('bench');
const { container } = await db.containers.create({ id: 'events', partitionKey: { paths: ['/p'] } });
t = performance.now();
const streams = 1000;
const per = N / streams;
const work: Promise<unknown>[] = [];
for (let s = 0; s < streams; s++) {
  work.push((async () => {
    for (let b = 0; b < per; b += 50) {
      await container.items.batch(Array.from({ length: 50 }, (_, i) => ({ operationType: 'Create' as const, resourceBody: { id: String(b + i), p: `S-${s}`, e: [{ c: 'Evt', d: { n: b + i } }] } })), `S-${s}`);
      await container.items.upsert({ id: '-1', p: `S-${s}`, n: b + 50 });
    }
  })());
  if (work.length >= 32) { await Promise.all(work); work.length = 0; }
}
await Promise.all(work);
console.log('write ms', (performance.now() - t).toFixed(0), 'docs', cosmos.local!.metrics().total.documentsWritten);
t = performance.now();
let count = 0; let pages = 0;
const ranges = await container.getFeedRanges();
await Promise.all(ranges.map(async (range) => {
  const it = container.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning(range), maxItemCount: 1000 });
  for (;;) { const p = await it.readNext(); if (p.statusCode === StatusCodes.NotModified) break; count += p.result.length; pages++; }
}));
console.log('feed ms', (performance.now() - t).toFixed(0), 'docs', count, 'pages', pages);
t = performance.now();
for (let i = 0; i < 2000; i++) await container.item('-1', `S-${i % streams}`).read();
console.log('2000 point reads ms', (performance.now() - t).toFixed(0));
t = performance.now();
for (let i = 0; i < 200; i++) await container.items.query('SELECT * FROM c WHERE c.id != "-1" ORDER BY c.id DESC', { partitionKey: `S-${i}`, maxItemCount: 10 }).fetchNext();
console.log('200 partition queries ms', (performance.now() - t).toFixed(0));
await cosmos.close();
