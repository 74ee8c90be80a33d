import { ChangeFeedStartFrom } from '@azure/cosmos';
import type { Timer } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBankApp } from '../../../functions/app.ts';
import { registerBankFunctions } from '../../../functions/registrations.ts';
import { estimateTriggerLag, TriggerBatchFailed } from '../../../src/azure-functions/index.ts';
import { type BankFixture, createRecordingRegistrar, startBank, triggerContext } from './bank-fixture.ts';

let fixture: BankFixture;

interface HostRange {
  minInclusive: string;
  maxExclusive: string;
  continuationToken: string;
}

const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};
beforeAll(async () => {
  fixture = await startBank();
  const { call } = fixture;
  await call('openAccount', { params: { id: 'ann' }, body: { owner: 'Ann' } });
  await call('deposit', { params: { id: 'ann' }, body: { amount: 70, transactionId: 'salary' } });
  await call('withdraw', { params: { id: 'ann' }, body: { amount: 20, transactionId: 'rent' } });
  await call('openAccount', { params: { id: 'ben' }, body: { owner: 'Ben' } });
  await call('deposit', { params: { id: 'ben' }, body: { amount: 5, transactionId: 'gift' } });
});
afterAll(async () => {
  await fixture?.close();
});

const invoke = async (name: string, documents: unknown[]) => {
  const trigger = fixture.functions.triggers[name];
  if (!trigger) throw new Error(`no trigger ${name}`);
  const { context, logged } = triggerContext(name);
  await trigger(documents, context);
  return logged;
};

describe('the Cosmos DB trigger functions', () => {
  it('turn a document batch into views through the projection handlers', async () => {
    const documents = await fixture.eventDocuments();
    await invoke('accountBalance', documents);
    await invoke('accountStatement', documents);
    expect(await fixture.bank.service.balance('ann')).toMatchObject({ balance: 50, owner: 'Ann' });
    const statement = await fixture.bank.service.statement('ann');
    expect(statement?.lines.map((line) => [line.transactionId, line.amount, line.balanceAfter])).toEqual([
      ['salary', 70, 70],
      ['rent', -20, 50],
    ]);
  });

  it('publish one statement line per completed transaction, and nothing more when the batch is redelivered', async () => {
    const documents = await fixture.eventDocuments();
    await invoke('statementLines', documents);
    const lines = () =>
      fixture.publisher.records.map((record) => `${record.envelope.stream}@${record.envelope.version}`);
    expect(lines().sort()).toEqual(['Account-ann@2', 'Account-ann@3', 'Account-ben@2']);
    const logged = await invoke('statementLines', documents);
    expect(lines()).toHaveLength(3);
    expect(logged.join('\n')).toContain('0 events handled');
  });

  it('redelivered to a fresh instance, leave the views as they were (the views remember their versions)', async () => {
    const before = await fixture.bank.projections.statement.readDocument('Account-ann');
    const freshInstance = registerBankFunctions(
      createRecordingRegistrar().registrar,
      createBankApp({ client: fixture.cosmos.client, databaseId: fixture.databaseId, publisher: fixture.publisher }),
      { databaseId: fixture.databaseId },
    );
    await freshInstance.triggers.accountStatement?.(await fixture.eventDocuments(), triggerContext('x').context);
    const after = await fixture.bank.projections.statement.readDocument('Account-ann');
    expect(after?.view).toEqual(before?.view);
    expect(after?._etag).toBe(before?._etag);
  });

  it('throw when a handler fails, so that the host retries, and on the retry handle only the streams that failed', async () => {
    await fixture.call('deposit', { params: { id: 'ann' }, body: { amount: 1, transactionId: 'late-1' } });
    await fixture.call('deposit', { params: { id: 'ben' }, body: { amount: 1, transactionId: 'late-2' } });
    const documents = (await fixture.eventDocuments()).filter((document) => document.id === '-1');
    const published = fixture.publisher.records.length;
    fixture.publisher.failNext(1);
    const failed = invoke('statementLines', documents);
    await expect(failed).rejects.toBeInstanceOf(TriggerBatchFailed);
    await expect(failed).rejects.toThrow(/statementLines failed on 1 stream\(s\) of the batch .*broker unavailable/);
    expect(fixture.publisher.records.length).toBe(published + 1);

    const logged = await invoke('statementLines', documents);
    expect(logged.join('\n')).toContain('1 events handled');
    const versions = fixture.publisher.records.slice(published).map((record) => record.envelope.idempotencyKey);
    expect(versions.sort()).toEqual(['Account-ann:4:statement-line@1', 'Account-ben:3:statement-line@1']);
  });

  it('throw on a malformed event document instead of skipping it', async () => {
    const broken = { id: '-1', p: 'Account-zed', i: 0, n: 'one', e: [] };
    await expect(invoke('accountBalance', [broken])).rejects.toThrow(/Account-zed: .*not a valid tip or batch/);
  });

  it('ignore documents that are not events (other writers of the container)', async () => {
    const logged = await invoke('accountBalance', [{ id: 'config', colour: 'blue' }]);
    expect(logged.join('\n')).toContain('0 streams');
  });

  it('run the transfer process from a Transfer document batch, and the process is idempotent on redelivery', async () => {
    await fixture.call('requestTransfer', {
      body: { transferId: 't-1', fromAccountId: 'ann', toAccountId: 'ben', amount: 30 },
    });
    const batch = (await fixture.eventDocuments()).filter((document) => document.p === 'Transfer-t-1');
    await invoke('transferProcess', batch);
    await invoke('transferProcess', batch);
    expect((await fixture.bank.service.transfer('t-1')).state.status).toBe('completed');
    const ann = await fixture.bank.accounts.load('ann');
    const ben = await fixture.bank.accounts.load('ben');
    expect([ann.state.account, ben.state.account]).toMatchObject([{ balance: 21 }, { balance: 36 }]);
    const annEvents = await fixture.bank.accounts.readEvents('ann');
    expect(annEvents.map(({ event }) => event.type).slice(-2)).toEqual(['TransferDebited', 'TransferSettled']);
  });

  it("report each trigger's lag from the Functions host's lease documents", async () => {
    const events = fixture.bank.containers.events;
    // Where a trigger that has read everything so far would have checkpointed: the LSN etag per range.
    const iterator = events.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
    let continuation = '';
    for (let page = await iterator.readNext(); page.statusCode !== 304; page = await iterator.readNext()) {
      continuation = page.continuationToken;
    }
    const ranges = (JSON.parse(continuation) as { Continuation: HostRange[] }).Continuation;
    const prefix = 'projection-account-balance@1:';
    // The lease documents as the host's change feed processor (the .NET SDK's) writes them.
    for (const [n, range] of ranges.entries()) {
      await fixture.bank.containers.leases.items.create({
        id: `${prefix}localhost_db_coll..${n}`,
        LeaseToken: String(n),
        FeedRange: { Range: { min: range.minInclusive, max: range.maxExclusive } },
        Owner: 'functions-host-1',
        ContinuationToken: range.continuationToken,
        timestamp: new Date().toISOString(),
        Mode: 'Incremental Feed',
      });
    }
    await fixture.bank.containers.leases.items.create({ id: `${prefix}localhost_db_coll.info`, storeVersion: 1 });

    const report = async () => {
      const { context, logged } = triggerContext('processorLag');
      await fixture.functions.lag(timer, context);
      return logged.find((line) => line.startsWith('lag of trigger accountBalance:'));
    };
    expect(await report()).toMatch(/: 0 pending changes, 0 ms behind, \d+ ranges/);
    await fixture.call('deposit', { params: { id: 'ann' }, body: { amount: 1 } });
    await fixture.call('deposit', { params: { id: 'ben' }, body: { amount: 1 } });
    expect(await report()).toMatch(/: 2 pending changes, \d+ ms behind/);

    // A lease the host created but never checkpointed counts from the beginning, like the trigger would read.
    await fixture.bank.containers.leases.items.create({
      id: 'fresh:localhost_db_coll..0',
      LeaseToken: '0',
      FeedRange: { Range: { min: '', max: 'FF' } },
      Owner: null,
      ContinuationToken: null,
    });
    const fresh = await estimateTriggerLag({
      monitored: events,
      leases: fixture.bank.containers.leases,
      leasePrefix: 'fresh:',
      exact: true,
    });
    expect(fresh).toEqual([
      expect.objectContaining({ leaseToken: '0', pendingChanges: (await fixture.eventDocuments()).length }),
    ]);

    // An LSN estimate: the lease query (no query plan) and one change-feed read per lease; the container's _rid is
    // already known from the estimates above.
    const local = fixture.cosmos.local;
    if (local !== undefined) {
      local.resetMetrics();
      const estimated = await estimateTriggerLag({
        monitored: events,
        leases: fixture.bank.containers.leases,
        leasePrefix: prefix,
      });
      expect(local.metrics().total.requests).toBe(estimated.length + 1);
    }
  });
});
