import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BankApp, createBankApp } from '../../../functions/app.ts';
import { type BankProcessors, startBankProcessors } from '../../../functions/processors.ts';
import { ensureContainers } from '../../../src/store/index.ts';
import { createFileSummarySink, readFileSummaries, type SummaryPublisher } from '../../../src/summaries/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { startTestCosmos, type TestCosmos } from '../../support/cosmos.ts';

let cosmos: TestCosmos;
let bank: BankApp;
let processors: BankProcessors;
let directory: string;
let sink: SummaryPublisher;

beforeAll(async () => {
  cosmos = await startTestCosmos();
  const database = await cosmos.database('flow');
  await ensureContainers(cosmos.client, { databaseId: database.id });
  directory = await mkdtemp(path.join(tmpdir(), 'tributary-bank-'));
  sink = createFileSummarySink({ directory });
  bank = createBankApp({ client: cosmos.client, databaseId: database.id, publisher: sink, log: () => {} });
  processors = await startBankProcessors(bank, { pollIntervalMs: 25, checkpointIntervalMs: 100 });
});

afterAll(async () => {
  await processors?.stop();
  await sink?.close();
  await cosmos?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

const post = (route: string, body: unknown) =>
  bank.serve({ method: 'POST', path: `/api/${route}`, header: () => undefined, body: JSON.stringify(body) });

/** Resolves once every handler has handled the account's stream up to its current version. */
async function caughtUp(accountId: string) {
  const { version } = await bank.accounts.load(accountId);
  await Promise.all(
    processors.running.map(({ scheduler }) => waitUntilHandled(scheduler, `Account-${accountId}`, version)),
  );
}

/** Resolves once the transfer reactor has handled the transfer's final event (the process runs to its end). */
async function transferFinished(transferId: string, events: number) {
  await waitUntilHandled(processors.get('transferProcess').scheduler, `Transfer-${transferId}`, BigInt(events));
}

describe('a transfer, end to end through the change-feed processor', () => {
  it('moves money between two accounts and publishes one statement line per completed transaction', async () => {
    expect((await post('accounts/src/open', { owner: 'Source', overdraftLimit: 0 })).status).toBe(200);
    expect((await post('accounts/dst/open', { owner: 'Target' })).status).toBe(200);
    expect((await post('accounts/src/deposit', { amount: 100, transactionId: 'seed' })).status).toBe(200);
    const accepted = await post('transfers', {
      transferId: 'tx-1',
      fromAccountId: 'src',
      toAccountId: 'dst',
      amount: 40,
    });
    expect(accepted.status).toBe(202);

    await transferFinished('tx-1', 4);
    await caughtUp('src');
    await caughtUp('dst');

    const transfer = await bank.service.transfer('tx-1');
    expect(transfer.state.status).toBe('completed');
    const transferEvents = await bank.transfers.readEvents('tx-1');
    expect(transferEvents.map(({ event }) => event.type)).toEqual([
      'Requested',
      'FundsReserved',
      'Credited',
      'Completed',
    ]);

    expect(await bank.service.balance('src')).toMatchObject({ balance: 60, reserved: 0, available: 60 });
    expect(await bank.service.balance('dst')).toMatchObject({ balance: 40 });

    const lines = await readFileSummaries(directory, 'statement-lines');
    // Across accounts the order of lines depends on timing; per account (the Kafka key) it is the stream's order.
    const linesOf = (key: string) =>
      lines.filter((line) => line.key === key).map((line) => ({ version: line.envelope?.version, value: line.value }));
    expect(linesOf('Account-src')).toEqual([
      { version: 2n, value: expect.objectContaining({ kind: 'deposit', amount: 100 }) },
      {
        version: 4n,
        value: expect.objectContaining({ kind: 'transfer-out', amount: -40, transactionId: 'transfer:tx-1' }),
      },
    ]);
    expect(linesOf('Account-dst')).toEqual([
      {
        version: 2n,
        value: expect.objectContaining({ kind: 'transfer-in', amount: 40, counterpartyAccountId: 'src' }),
      },
    ]);
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => line.headers['tributary-contract'] === 'statement-line')).toBe(true);

    const statement = await bank.service.statement('src');
    expect(statement?.lines.map((line) => [line.kind, line.amount, line.balanceAfter])).toEqual([
      ['deposit', 100, 100],
      ['transfer-out', -40, 60],
    ]);
  });

  it('compensates a transfer the target refuses, and consumers see no statement line for it', async () => {
    await post('accounts/closed/open', { owner: 'Gone' });
    await post('accounts/closed/close', {});
    const published = (await readFileSummaries(directory, 'statement-lines')).length;
    await post('transfers', { transferId: 'tx-2', fromAccountId: 'src', toAccountId: 'closed', amount: 10 });

    await transferFinished('tx-2', 4);
    await caughtUp('src');

    const transfer = await bank.service.transfer('tx-2');
    expect(transfer.state).toMatchObject({ status: 'compensated', failureReason: expect.stringContaining('closed') });
    const srcEvents = await bank.accounts.readEvents('src');
    expect(srcEvents.map(({ event }) => event.type).slice(-2)).toEqual(['TransferDebited', 'TransferDebitReversed']);
    expect(await bank.service.balance('src')).toMatchObject({ balance: 60, reserved: 0 });
    expect(await readFileSummaries(directory, 'statement-lines')).toHaveLength(published);
  });

  it('fails a transfer the source cannot pay without touching either account', async () => {
    await post('transfers', { transferId: 'tx-3', fromAccountId: 'src', toAccountId: 'dst', amount: 1_000 });
    await transferFinished('tx-3', 2);
    const transfer = await bank.service.transfer('tx-3');
    expect(transfer.state).toMatchObject({
      status: 'failed',
      failureReason: expect.stringContaining('cannot pay 1000'),
    });
    expect((await bank.accounts.load('src')).state.account).toMatchObject({ balance: 60, pendingOutgoing: {} });
  });
});
