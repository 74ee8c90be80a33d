import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshEventsContainer } from '../../support/containers.ts';
import { requireLocal } from '../../support/cosmos.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { rest } from './rest.ts';

const cosmos = useTestCosmos();
let docs: string;

beforeAll(async () => {
  const { database, container } = await freshEventsContainer(cosmos, 'bad-input');
  await container.items.create({ id: 'x', p: 'Stream-1', n: 1 });
  docs = `dbs/${database.id}/colls/events/docs`;
});

const key = { 'x-ms-documentdb-partitionkey': '["Stream-1"]' };
const batch = { ...key, 'x-ms-cosmos-is-batch-request': 'true', 'x-ms-cosmos-batch-atomic': 'true' };
const query = { 'x-ms-documentdb-isquery': 'true', 'content-type': 'application/query+json' };
const feed = { 'a-im': 'Incremental feed', 'x-ms-documentdb-partitionkeyrangeid': '0' };

describe('bad input', () => {
  const cases: [string, string, () => string, { body?: string; headers?: Record<string, string> }, number][] = [
    ['a batch body that is not an array', 'POST', () => docs, { body: '{"a":1}', headers: batch }, 400],
    [
      'a batch with an unknown operation',
      'POST',
      () => docs,
      { body: '[{"operationType":"Explode"}]', headers: batch },
      400,
    ],
    ['an empty batch', 'POST', () => docs, { body: '[]', headers: batch }, 400],
    [
      'a transactional batch without a partition key header',
      'POST',
      () => docs,
      {
        body: '[{"operationType":"Create","resourceBody":{"id":"nokey","p":"Stream-1"}}]',
        headers: { 'x-ms-cosmos-is-batch-request': 'true', 'x-ms-cosmos-batch-atomic': 'true' },
      },
      400,
    ],
    [
      'a patch with an unknown operation',
      'PATCH',
      () => `${docs}/x`,
      { body: '{"operations":[{"op":"zap","path":"/n"}]}', headers: key },
      400,
    ],
    [
      'a patch of a missing path',
      'PATCH',
      () => `${docs}/x`,
      { body: '{"operations":[{"op":"replace","path":"/nope","value":1}]}', headers: key },
      400,
    ],
    [
      'a patch of the partition key',
      'PATCH',
      () => `${docs}/x`,
      { body: '{"operations":[{"op":"set","path":"/p","value":"y"}]}', headers: key },
      400,
    ],
    ['a patch that is not JSON', 'PATCH', () => `${docs}/x`, { body: 'patch me', headers: key }, 400],
    [
      'a query without a query string',
      'POST',
      () => docs,
      { body: '{"parameters":[]}', headers: { ...query, ...key } },
      400,
    ],
    [
      'a query whose parameters are not an array',
      'POST',
      () => docs,
      { body: '{"query":"SELECT * FROM c","parameters":5}', headers: query },
      400,
    ],
    [
      'a partition key header that is not JSON',
      'GET',
      () => `${docs}/x`,
      { headers: { 'x-ms-documentdb-partitionkey': '[Stream' } },
      400,
    ],
    [
      'a partition key header with two components',
      'GET',
      () => `${docs}/x`,
      { headers: { 'x-ms-documentdb-partitionkey': '["a","b"]' } },
      400,
    ],
    [
      'a partition key header holding an object',
      'GET',
      () => `${docs}/x`,
      { headers: { 'x-ms-documentdb-partitionkey': '[{"a":1}]' } },
      400,
    ],
    [
      'a change-feed continuation that is not an LSN',
      'GET',
      () => docs,
      { headers: { ...feed, 'if-none-match': '"abc"' } },
      400,
    ],
    [
      'a change-feed start time that is not a date',
      'GET',
      () => docs,
      { headers: { ...feed, 'if-modified-since': 'yesterday' } },
      400,
    ],
    ['an unsupported change-feed mode', 'GET', () => docs, { headers: { 'a-im': 'Full-Fidelity Feed' } }, 400],
    [
      'a page size that is not a number',
      'GET',
      () => docs,
      { headers: { ...feed, 'x-ms-max-item-count': 'many' } },
      400,
    ],
    [
      'an unknown partition key range',
      'GET',
      () => docs,
      { headers: { ...feed, 'x-ms-documentdb-partitionkeyrangeid': '99' } },
      404,
    ],
    ['an unsupported verb on a document', 'POST', () => `${docs}/x`, { body: '{}', headers: key }, 405],
    ['a database without an id', 'POST', () => 'dbs', { body: '{}' }, 400],
    [
      'a container with two partition key paths',
      'POST',
      () => `${docs.split('/colls')[0]}/colls`,
      { body: '{"id":"two","partitionKey":{"paths":["/a","/b"]}}' },
      400,
    ],
    [
      'a replace whose body id differs from the URL',
      'PUT',
      () => `${docs}/x`,
      { body: '{"id":"y","p":"Stream-1"}', headers: key },
      400,
    ],
    ['a document that is a JSON array', 'POST', () => docs, { body: '[1,2]', headers: key }, 400],
    ['a document with a numeric id', 'POST', () => docs, { body: '{"id":5,"p":"Stream-1"}', headers: key }, 400],
    [
      'a document with an object partition key',
      'POST',
      () => docs,
      { body: '{"id":"o","p":{"a":1}}', headers: { 'x-ms-documentdb-partitionkey': '["x"]' } },
      400,
    ],
  ];

  for (const [what, verb, path, options, status] of cases) {
    it(`answers ${status} with a JSON { code, message } body to ${what}`, async () => {
      const raw = await rest(cosmos, verb, path(), options);
      expect(raw.status).toBe(status);
      expect(raw.body).toEqual({ code: expect.any(String), message: expect.any(String) });
    });
  }

  it('answers 400 to a request path that is not valid URL encoding', async () => {
    const response = await fetch(`${cosmos.endpoint}/dbs/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'BadRequest' });
  });

  it('answers bytes that are not HTTP with 400 and a JSON body', async (test) => {
    requireLocal(cosmos, test);
    const { port } = new URL(cosmos.endpoint);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('this is not http\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'BadRequest' });
  });

  it('keeps serving after all of the above', async () => {
    const read = await cosmos.client.database(docs.split('/')[1]!).container('events').item('x', 'Stream-1').read();
    expect(read.resource).toMatchObject({ n: 1 });
  });
});
