import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBankApp } from '../../../functions/app.ts';
import { type BankFixture, createMemoryPublisher, startBank, triggerContext } from './bank-fixture.ts';

let fixture: BankFixture;
beforeAll(async () => {
  fixture = await startBank();
});
afterAll(async () => {
  await fixture?.close();
});

const eventCount = async (accountId: string) => {
  const documents = await fixture.eventDocuments();
  return documents
    .filter((document) => document.p === `Account-${accountId}`)
    .reduce((count, document) => count + (document.e as unknown[]).length, 0);
};

describe('idempotency keys of the HTTP API', () => {
  it('refuse a key reused with a different amount or command with 422, write nothing, and answer a true retry as the first time', async () => {
    await fixture.call('openAccount', { params: { id: 'ida' }, body: { owner: 'Ida' } });
    const headers = { 'idempotency-key': 'K1' };
    const first = await fixture.call('deposit', { params: { id: 'ida' }, headers, body: { amount: 100 } });
    expect(first).toMatchObject({ status: 200, headers: { etag: '"2"' }, body: { version: 2, transactionId: 'K1' } });
    await fixture.call('deposit', { params: { id: 'ida' }, body: { amount: 1 } });
    const written = await eventCount('ida');

    const otherAmount = await fixture.call('deposit', { params: { id: 'ida' }, headers, body: { amount: 999_999 } });
    expect(otherAmount).toMatchObject({ status: 422, body: { error: 'IdempotencyKeyReused' } });
    expect((otherAmount.body as { message: string }).message).toMatch(/K1 was already used on this account/);
    const otherCommand = await fixture.call('withdraw', { params: { id: 'ida' }, headers, body: { amount: 100 } });
    expect(otherCommand).toMatchObject({ status: 422, body: { error: 'IdempotencyKeyReused' } });
    const inBody = await fixture.call('deposit', { params: { id: 'ida' }, body: { amount: 5, transactionId: 'K1' } });
    expect(inBody).toMatchObject({ status: 422, body: { error: 'IdempotencyKeyReused' } });
    expect(await eventCount('ida')).toBe(written);

    const retry = await fixture.call('deposit', { params: { id: 'ida' }, headers, body: { amount: 100 } });
    expect(retry).toEqual(first);
    expect(await eventCount('ida')).toBe(written);
  });

  it('treat the same key on another account as a different key', async () => {
    await fixture.call('openAccount', { params: { id: 'jo' }, body: { owner: 'Jo' } });
    await fixture.call('openAccount', { params: { id: 'kim' }, body: { owner: 'Kim' } });
    const headers = { 'idempotency-key': 'shared' };
    expect((await fixture.call('deposit', { params: { id: 'jo' }, headers, body: { amount: 3 } })).status).toBe(200);
    expect((await fixture.call('deposit', { params: { id: 'kim' }, headers, body: { amount: 4 } })).status).toBe(200);
  });

  it('answer an open or close retried with its key as the first time, and refuse the key for another command', async () => {
    const headers = { 'idempotency-key': 'open-lea' };
    const first = await fixture.call('openAccount', { params: { id: 'lea' }, headers, body: { owner: 'Lea' } });
    const retry = await fixture.call('openAccount', { params: { id: 'lea' }, headers, body: { owner: 'Lea' } });
    expect(retry).toEqual(first);
    const closeWithIt = await fixture.call('closeAccount', { params: { id: 'lea' }, headers, body: {} });
    expect(closeWithIt).toMatchObject({ status: 422, body: { error: 'IdempotencyKeyReused' } });
    expect(await eventCount('lea')).toBe(1);
  });

  it('answer a transfer request retried after the process moved on as the first time, and refuse its id for another transfer', async () => {
    await fixture.call('openAccount', { params: { id: 'nia' }, body: { owner: 'Nia', overdraftLimit: 100 } });
    await fixture.call('openAccount', { params: { id: 'ole' }, body: { owner: 'Ole' } });
    const request = { transferId: 't-idem', fromAccountId: 'nia', toAccountId: 'ole', amount: 30 };
    const first = await fixture.call('requestTransfer', { body: request });
    expect(first).toMatchObject({ status: 202, headers: { etag: '"1"' } });
    const batch = (await fixture.eventDocuments()).filter((document) => document.p === 'Transfer-t-idem');
    await fixture.functions.triggers.transferProcess?.(batch, triggerContext('transferProcess').context);
    expect((await fixture.bank.service.transfer('t-idem')).version).toBeGreaterThan(1n);

    expect(await fixture.call('requestTransfer', { body: request })).toEqual(first);
    const reused = await fixture.call('requestTransfer', { body: { ...request, amount: 31 } });
    expect(reused).toMatchObject({ status: 409, body: { error: 'TransferIdReused' } });
    const keyed = await fixture.call('requestTransfer', {
      headers: { 'idempotency-key': 't-idem' },
      body: { fromAccountId: 'ole', toAccountId: 'nia', amount: 1 },
    });
    expect(keyed).toMatchObject({ status: 409, body: { error: 'TransferIdReused' } });
  });

  it('report a key older than the configured window as expired (422) instead of applying it twice', async () => {
    const bank = createBankApp({
      client: fixture.cosmos.client,
      databaseId: fixture.databaseId,
      publisher: createMemoryPublisher(),
      log: () => {},
      idempotencyKeyWindow: 2,
    });
    const send = (path: string, body: unknown, key?: string) =>
      bank.serve({
        method: 'POST',
        path: `/api/accounts/mo/${path}`,
        header: (name) => (name === 'idempotency-key' ? key : name === 'content-type' ? 'application/json' : undefined),
        body: JSON.stringify(body),
      });
    await send('open', { owner: 'Mo' });
    for (const key of ['m1', 'm2', 'm3']) expect((await send('deposit', { amount: 10 }, key)).status).toBe(200);
    const written = await eventCount('mo');
    const late = await send('deposit', { amount: 10 }, 'm1');
    expect(late).toMatchObject({ status: 422, body: { error: 'IdempotencyKeyExpired' } });
    expect(await eventCount('mo')).toBe(written);
    expect(await send('deposit', { amount: 10 }, 'm3')).toMatchObject({ status: 200, body: { version: 4 } });
  });
});
