import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBodyBytes } from '../../../functions/http/requests.ts';
import { type BankFixture, startBank, triggerContext } from './bank-fixture.ts';

let fixture: BankFixture;
beforeAll(async () => {
  fixture = await startBank();
});
afterAll(async () => {
  await fixture?.close();
});

const project = async () => {
  const documents = await fixture.eventDocuments();
  for (const name of ['accountBalance', 'accountStatement']) {
    await fixture.functions.triggers[name]?.(documents, triggerContext(name).context);
  }
};

describe('the HTTP functions', () => {
  it('open an account and answer with its version as an ETag', async () => {
    const response = await fixture.call('openAccount', {
      params: { id: 'alice' },
      body: { owner: 'Alice', overdraftLimit: 50 },
    });
    expect(response).toMatchObject({ status: 200, headers: { etag: '"1"' }, body: { accountId: 'alice', version: 1 } });
  });

  it('deposit and withdraw, using the overdraft', async () => {
    await fixture.call('openAccount', { params: { id: 'bob' }, body: { owner: 'Bob', overdraftLimit: 50 } });
    const deposit = await fixture.call('deposit', {
      params: { id: 'bob' },
      body: { amount: 100, transactionId: 'd1' },
    });
    expect(deposit).toMatchObject({ status: 200, body: { version: 2, transactionId: 'd1' } });
    const withdrawal = await fixture.call('withdraw', { params: { id: 'bob' }, body: { amount: 150 } });
    expect(withdrawal).toMatchObject({ status: 200, body: { version: 3 } });
  });

  it('treat a deposit retried with the same Idempotency-Key as done once', async () => {
    await fixture.call('openAccount', { params: { id: 'carol' }, body: { owner: 'Carol' } });
    const headers = { 'idempotency-key': 'payroll-2026-11' };
    const first = await fixture.call('deposit', { params: { id: 'carol' }, headers, body: { amount: 10 } });
    const retry = await fixture.call('deposit', { params: { id: 'carol' }, headers, body: { amount: 10 } });
    expect(first.body).toMatchObject({ version: 2, transactionId: 'payroll-2026-11' });
    expect(retry).toMatchObject({ status: 200, body: { version: 2 } });
  });

  it('answer 400 with the issues when the body does not match the command', async () => {
    const response = await fixture.call('deposit', { params: { id: 'alice' }, body: { amount: -5, colour: 'red' } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'InvalidRequest' });
    const issues = (response.body as { issues: { path: string; message: string }[] }).issues;
    expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['amount']));
    expect(issues.some((issue) => issue.message.includes('colour'))).toBe(true);
  });

  it('answer 400 for a body that is not JSON and for an id that cannot name a stream', async () => {
    expect((await fixture.call('deposit', { params: { id: 'alice' }, body: '{"amount": 5' })).body).toMatchObject({
      error: 'InvalidJson',
    });
    const badId = await fixture.call('deposit', { params: { id: 'a/b' }, body: { amount: 5 } });
    expect(badId).toMatchObject({ status: 400, body: { error: 'InvalidRequest', issues: [{ path: 'id' }] } });
  });

  it('answer 400 for an Idempotency-Key that cannot be a transaction or transfer id, and write nothing', async () => {
    const headers = { 'idempotency-key': 'a/b c' };
    const deposit = await fixture.call('deposit', { params: { id: 'alice' }, headers, body: { amount: 5 } });
    expect(deposit).toMatchObject({
      status: 400,
      body: { error: 'InvalidRequest', issues: [{ path: 'Idempotency-Key' }] },
    });
    const transfer = await fixture.call('requestTransfer', {
      headers,
      body: { fromAccountId: 'alice', toAccountId: 'bob', amount: 5 },
    });
    expect(transfer).toMatchObject({ status: 400, body: { issues: [{ path: 'Idempotency-Key' }] } });
    expect((await fixture.bank.accounts.load('alice')).version).toBe(1n);
  });

  it('answer 404 for a command on an account that was never opened', async () => {
    const response = await fixture.call('deposit', { params: { id: 'nobody' }, body: { amount: 5 } });
    expect(response).toMatchObject({ status: 404, body: { error: 'AccountNotFound' } });
  });

  it('answer 409 when a business rule refuses the command', async () => {
    await fixture.call('openAccount', { params: { id: 'dave' }, body: { owner: 'Dave', overdraftLimit: 0 } });
    const withdrawal = await fixture.call('withdraw', { params: { id: 'dave' }, body: { amount: 1 } });
    expect(withdrawal).toMatchObject({ status: 409, body: { error: 'InsufficientFunds' } });
    await fixture.call('deposit', { params: { id: 'dave' }, body: { amount: 1 } });
    const close = await fixture.call('closeAccount', { params: { id: 'dave' } });
    expect(close).toMatchObject({ status: 409, body: { error: 'BalanceNotZero' } });
  });

  it('answer 412 when the expected version is stale, by If-Match or in the body, and nothing is written', async () => {
    await fixture.call('openAccount', { params: { id: 'erin' }, body: { owner: 'Erin' } });
    await fixture.call('deposit', { params: { id: 'erin' }, body: { amount: 5 } });
    const stale = await fixture.call('deposit', {
      params: { id: 'erin' },
      headers: { 'if-match': '"1"' },
      body: { amount: 5 },
    });
    expect(stale).toMatchObject({ status: 412, headers: { etag: '"2"' }, body: { currentVersion: 2 } });
    const staleBody = await fixture.call('withdraw', {
      params: { id: 'erin' },
      body: { amount: 5, expectedVersion: 1 },
    });
    expect(staleBody.status).toBe(412);
    const current = await fixture.call('deposit', {
      params: { id: 'erin' },
      headers: { 'if-match': '"2"' },
      body: { amount: 5 },
    });
    expect(current).toMatchObject({ status: 200, body: { version: 3 } });
  });

  it('let exactly one of two concurrent commands with the same If-Match through; the other gets 412', async () => {
    await fixture.call('openAccount', { params: { id: 'race' }, body: { owner: 'Race' } });
    const send = (amount: number) =>
      fixture.call('deposit', { params: { id: 'race' }, headers: { 'if-match': '"1"' }, body: { amount } });
    const statuses = (await Promise.all([send(1), send(2)])).map((response) => response.status);
    expect(statuses.sort()).toEqual([200, 412]);
    expect((await fixture.bank.accounts.load('race')).version).toBe(2n);
  });

  it('answer 413 for a body over the limit without parsing it', async () => {
    const description = 'x'.repeat(maxBodyBytes);
    const response = await fixture.call('deposit', { params: { id: 'alice' }, body: { amount: 5, description } });
    expect(response).toMatchObject({ status: 413, body: { error: 'RequestBodyTooLarge' } });
  });

  it('answer 415 for a body sent as anything but JSON in UTF-8, and write nothing', async () => {
    const before = (await fixture.eventDocuments()).length;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=iso-8859-1']) {
      const response = await fixture.call('deposit', {
        params: { id: 'alice' },
        headers: { 'content-type': type },
        body: { amount: 5 },
      });
      expect(response, type).toMatchObject({ status: 415, body: { error: 'UnsupportedMediaType' } });
    }
    expect((await fixture.eventDocuments()).length).toBe(before);
  });

  it('accept a transfer for the reactor with 202, and refuse one to the same account', async () => {
    const accepted = await fixture.call('requestTransfer', {
      body: { transferId: 't-http', fromAccountId: 'bob', toAccountId: 'alice', amount: 5 },
    });
    expect(accepted).toMatchObject({
      status: 202,
      headers: { location: '/api/transfers/t-http' },
      body: { transferId: 't-http', status: 'requested' },
    });
    const transfer = await fixture.call('getTransfer', { params: { id: 't-http' } });
    expect(transfer).toMatchObject({ status: 200, body: { status: 'requested', amount: 5 } });
    const repeated = await fixture.call('requestTransfer', {
      body: { transferId: 't-http', fromAccountId: 'bob', toAccountId: 'alice', amount: 5 },
    });
    expect(repeated).toMatchObject({ status: 202, headers: { etag: '"1"' } });
    const reused = await fixture.call('requestTransfer', {
      body: { transferId: 't-http', fromAccountId: 'bob', toAccountId: 'alice', amount: 6 },
    });
    expect(reused).toMatchObject({ status: 409, body: { error: 'TransferIdReused' } });
    const same = await fixture.call('requestTransfer', {
      body: { fromAccountId: 'bob', toAccountId: 'bob', amount: 5 },
    });
    expect(same).toMatchObject({ status: 400, body: { issues: [{ path: 'toAccountId' }] } });
    expect((await fixture.call('getTransfer', { params: { id: 'never' } })).status).toBe(404);
  });

  it('answer queries from the views once the projections have run, and 404 for unknown accounts', async () => {
    expect((await fixture.call('getAccount', { params: { id: 'nobody' } })).status).toBe(404);
    await project();
    const balance = await fixture.call('getAccount', { params: { id: 'bob' } });
    expect(balance).toMatchObject({
      status: 200,
      body: { accountId: 'bob', owner: 'Bob', balance: -50, available: 0, overdraftLimit: 50, status: 'open' },
    });
    const statement = await fixture.call('getStatement', { params: { id: 'bob' } });
    expect(statement).toMatchObject({
      status: 200,
      body: {
        bookedBalance: -50,
        lines: [
          { kind: 'deposit', amount: 100, transactionId: 'd1', balanceAfter: 100, version: 1 },
          { kind: 'withdrawal', amount: -150, balanceAfter: -50, version: 2 },
        ],
      },
    });
    expect((await fixture.call('getStatement', { params: { id: 'nobody' } })).status).toBe(404);
  });

  it('answer 404 and 405 for unknown routes when served as one handler, as the dev host does', async () => {
    const serve = (method: string, path: string) =>
      fixture.bank.serve({ method, path, header: () => undefined, body: '' });
    expect((await serve('GET', '/api/nowhere')).status).toBe(404);
    expect((await serve('DELETE', '/api/accounts/bob')).status).toBe(405);
    expect(await serve('GET', '/api/accounts/bob')).toMatchObject({ status: 200, body: { owner: 'Bob' } });
    const head = await serve('HEAD', '/api/accounts/bob');
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    expect((await serve('HEAD', '/api/accounts/bob/deposit')).status).toBe(405);
  });

  it('answer HEAD on a query like GET without the body, under the Functions host too', async () => {
    const head = await fixture.call('getAccount', { method: 'HEAD', params: { id: 'bob' } });
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
  });

  it('refuse a body that is not UTF-8 with 400 and write nothing', async () => {
    const before = (await fixture.eventDocuments()).length;
    const handler = fixture.functions.http.deposit!;
    const response = (await handler(
      new HttpRequest({
        method: 'POST',
        url: 'http://localhost/api/accounts/bob/deposit',
        params: { id: 'bob' },
        headers: { 'content-type': 'application/json' },
        body: { bytes: new Uint8Array([0x7b, 0x22, 0x61, 0xff, 0xfe, 0x22, 0x7d]) },
      }),
      new InvocationContext({ functionName: 'deposit' }),
    )) as HttpResponseInit;
    expect(response).toMatchObject({ status: 400, jsonBody: { error: 'InvalidUtf8' } });
    expect((await fixture.eventDocuments()).length).toBe(before);
  });
});

describe('the function registrations', () => {
  it('require a function key for every command and query', () => {
    expect(fixture.registered.http.size).toBe(fixture.bank.routes.length);
    for (const [name, options] of fixture.registered.http) expect(options.authLevel, name).toBe('function');
    const routes = [...fixture.registered.http.entries()].map(([name, options]) => ({
      name,
      route: options.route,
      authLevel: options.authLevel,
      methods: options.methods,
    }));
    expect(routes).toEqual(
      expect.arrayContaining([
        { name: 'openAccount', route: 'accounts/{id}/open', authLevel: 'function', methods: ['POST'] },
        { name: 'deposit', route: 'accounts/{id}/deposit', authLevel: 'function', methods: ['POST'] },
        { name: 'withdraw', route: 'accounts/{id}/withdraw', authLevel: 'function', methods: ['POST'] },
        { name: 'closeAccount', route: 'accounts/{id}/close', authLevel: 'function', methods: ['POST'] },
        { name: 'requestTransfer', route: 'transfers', authLevel: 'function', methods: ['POST'] },
        { name: 'getTransfer', route: 'transfers/{id}', authLevel: 'function', methods: ['GET', 'HEAD'] },
        { name: 'getAccount', route: 'accounts/{id}', authLevel: 'function', methods: ['GET', 'HEAD'] },
        { name: 'getStatement', route: 'accounts/{id}/statement', authLevel: 'function', methods: ['GET', 'HEAD'] },
      ]),
    );
  });

  it('give every change-feed trigger a retry policy that never skips and its own lease prefix', () => {
    const triggers = [...fixture.registered.cosmosDB.values()];
    expect(triggers.map((trigger) => trigger.containerName)).toEqual(['events', 'events', 'events', 'events']);
    for (const trigger of triggers) {
      expect(trigger.retry).toMatchObject({ strategy: 'exponentialBackoff', maxRetryCount: -1 });
      expect(trigger).toMatchObject({ leaseContainerName: 'leases', createLeaseContainerIfNotExists: false });
    }
    expect(new Set(triggers.map((trigger) => trigger.leaseContainerPrefix)).size).toBe(triggers.length);
    expect([...fixture.registered.timer.keys()]).toEqual(['processorLag']);
  });
});
