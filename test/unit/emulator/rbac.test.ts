import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkRoles, DataAction, requiredActions } from '../../../src/emulator/rbac.ts';

const docs = ['dbs', 'd', 'colls', 'c', 'docs'];
const request = (verb: string, segments: string[], headers: IncomingHttpHeaders = {}, body = '') => ({
  verb,
  segments,
  headers,
  body: Buffer.from(body),
});

describe('the data actions a request needs', () => {
  it('names readChangeFeed for either change-feed mode and items/read for a read feed', () => {
    expect(requiredActions(request('GET', docs, { 'a-im': 'Incremental feed' }))).toEqual([DataAction.readChangeFeed]);
    expect(requiredActions(request('GET', docs, { 'a-im': 'Full-Fidelity Feed' }))).toEqual([
      DataAction.readChangeFeed,
    ]);
    expect(requiredActions(request('GET', docs))).toEqual([DataAction.read]);
  });

  it('names each operation of a batch, upserts and queries', () => {
    const batch = JSON.stringify([{ operationType: 'Read' }, { operationType: 'Delete' }]);
    const batchHeaders = { 'x-ms-cosmos-is-batch-request': 'True' };
    expect(requiredActions(request('POST', docs, batchHeaders, batch))).toEqual([DataAction.read, DataAction.delete]);
    expect(requiredActions(request('POST', docs, { 'x-ms-documentdb-is-upsert': 'True' }))).toEqual([
      DataAction.upsert,
    ]);
    expect(requiredActions(request('POST', docs, { 'x-ms-documentdb-isquery': 'True' }))).toEqual([
      DataAction.executeQuery,
    ]);
    expect(requiredActions(request('POST', ['dbs', 'd', 'colls', 'c', 'operations', 'partitionkeydelete']))).toEqual([
      DataAction.delete,
    ]);
  });

  it('treats creating, replacing and deleting databases and containers as management', () => {
    expect(requiredActions(request('POST', ['dbs']))).toBe('management');
    expect(requiredActions(request('PUT', ['dbs', 'd', 'colls', 'c']))).toBe('management');
    expect(requiredActions(request('DELETE', ['dbs', 'd']))).toBe('management');
    expect(requiredActions(request('GET', ['dbs', 'd', 'colls', 'c', 'pkranges']))).toEqual([DataAction.readMetadata]);
  });
});

describe('role checks', () => {
  it('let a reader read but not write, naming the missing action and the principal', () => {
    const read = request('GET', [...docs, 'x'], {});
    expect(() => checkRoles('acct', 'p1', ['data-reader'], read)).not.toThrow();
    const write = request('POST', docs, {});
    expect(() => checkRoles('acct', 'p1', ['data-reader'], write)).toThrow(
      /principal \[p1\].*\[Microsoft\.DocumentDB\/databaseAccounts\/sqlDatabases\/containers\/items\/create\]/,
    );
    expect(() => checkRoles('acct', 'p1', ['data-contributor'], write)).not.toThrow();
  });
});
