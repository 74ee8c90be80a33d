import { AccountState } from './src/emulator/account.ts';
import { route } from './src/emulator/routes.ts';
import { Journal } from './src/emulator/persistence.ts';
import { rmSync } from 'node:fs';
rmSync('/tmp/jbench', { recursive: true, force: true });
const { journal } = Journal.open('/tmp/jbench');
const account = new AccountState(4, (r) => { journal.append(r); journal.flush(); });
const ctx = { account, endpoint: () => 'x', journalWrite: (c: never, d: string, docs: unknown[]) => account.recordWrite(c, d, docs as never) };
const call = (verb: string, segments: string[], headers: Record<string, string>, body?: unknown) =>
  route(ctx as never, { verb, segments, headers, body: Buffer.from(body === undefined ? '' : JSON.stringify(body)) });
call('POST', ['dbs'], {}, { id: 'db' });
call('POST', ['dbs', 'db', 'colls'], {}, { id: 'c', partitionKey: { paths: ['/p'] } });
let t = performance.now();
for (let s = 0; s < 1000; s++) for (let b = 0; b < 100; b += 50) {
  call('POST', ['dbs', 'db', 'colls', 'c', 'docs'], { 'x-ms-cosmos-is-batch-request': 'true', 'x-ms-documentdb-partitionkey': JSON.stringify([`S-${s}`]) },
    Array.from({ length: 50 }, (_, i) => ({ operationType: 'Create', resourceBody: { id: String(b + i), p: `S-${s}`, e: [{ c: 'Evt', d: { n: b + i } }] } })));
  call('POST', ['dbs', 'db', 'colls', 'c', 'docs'], { 'x-ms-documentdb-is-upsert': 'true', 'x-ms-documentdb-partitionkey': JSON.stringify([`S-${s}`]) }, { id: '-1', p: `S-${s}`, n: b });
}
console.log('write 102k docs ms', (performance.now() - t).toFixed(0));
t = performance.now();
let n = 0;
for (const range of ['0', '1', '2', '3']) {
  let etag: string | undefined;
  for (;;) {
    const r = call('GET', ['dbs', 'db', 'colls', 'c', 'docs'], { 'a-im': 'Incremental feed', 'x-ms-documentdb-partitionkeyrangeid': range, 'x-ms-max-item-count': '1000', ...(etag ? { 'if-none-match': etag } : {}) });
    if (r.status === 304) break;
    etag = r.headers!.etag; n += JSON.parse(r.body!)._count;
  }
}
console.log('feed ms', (performance.now() - t).toFixed(0), n);
t = performance.now();
for (let i = 0; i < 100000; i++) call('GET', ['dbs', 'db', 'colls', 'c', 'docs', '-1'], { 'x-ms-documentdb-partitionkey': JSON.stringify([`S-${i % 1000}`]) });
console.log('100k point reads ms', (performance.now() - t).toFixed(0));
t = performance.now();
for (let i = 0; i < 1000; i++) call('POST', ['dbs', 'db', 'colls', 'c', 'docs'], { 'x-ms-documentdb-isquery': 'true', 'x-ms-documentdb-partitionkey': JSON.stringify([`S-${i % 1000}`]), 'x-ms-max-item-count': '10' }, { query: 'SELECT * FROM c WHERE c.id != "-1" ORDER BY c.id DESC' });
console.log('1000 partition queries ms', (performance.now() - t).toFixed(0));
globalThis.gc?.(); console.log("heap MB", (process.memoryUsage().heapUsed/1e6).toFixed(0));
let t2 = performance.now();
journal.compact(account.snapshot());
console.log('snapshot ms', (performance.now() - t2).toFixed(0));
journal.close();
t2 = performance.now();
const { records } = Journal.open('/tmp/jbench');
const again = new AccountState(4, () => {});
for (const r of records) again.applyRecord(r);
console.log('reload ms', (performance.now() - t2).toFixed(0), again.container('db', 'c').documentCount);
