import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBankApp } from '../../../functions/app.ts';
import { runCli } from '../../../src/cli/run.ts';
import { createFileSummarySink, readFileSummaries } from '../../../src/summaries/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';
import { Processors, startTestDevHost } from './dev-host-harness.ts';

const cosmos = useTestCosmos();
let dev: Awaited<ReturnType<typeof startTestDevHost>>;

/** The CLI as a user runs it next to the dev host's data, after stopping the host. */
async function tributary(...argv: string[]) {
  const env = { COSMOS_KEY: cosmos.key, TRIBUTARY_DATA_DIR: dev.dataDir };
  const { io, out } = captureIo(env, dev.dataDir);
  const code = await runCli([...argv, '--endpoint', cosmos.endpoint, '--database', dev.config.databaseId], io);
  return { code, ...out };
}

const balanceOf = (accountId: string) =>
  createBankApp({
    client: cosmos.client,
    databaseId: dev.config.databaseId,
    publisher: createFileSummarySink({ directory: dev.dataDir }),
  }).projections.balance.read(`Account-${accountId}`);

beforeAll(async () => {
  // The dev host runs on a server that outlives it, makes some history and parks one stream, then stops.
  dev = await startTestDevHost({ poison: { processor: Processors.balance, stream: 'Account-poison' }, cosmos });
  await dev.api('POST', '/api/accounts/alice/open', { owner: 'Alice' });
  await dev.api('POST', '/api/accounts/alice/deposit', { amount: 4_200, transactionId: 't1' });
  await dev.api('POST', '/api/accounts/poison/open', { owner: 'Mallory' });
  expect(await waitUntilHandled(dev.processor(Processors.balance).scheduler, 'Account-poison', 1n)).toBe('parked');
  expect(await waitUntilHandled(dev.processor(Processors.statementLines).scheduler, 'Account-alice', 2n)).toBe(
    'handled',
  );
  await dev.host.close();
});

afterAll(async () => {
  await dev?.close();
});

describe('tributary parked, rebuild and replay on the sample app', () => {
  it('parked list shows the parked stream, its processor and its error', async () => {
    const listed = await tributary('parked', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`Account-poison  processor ${Processors.balance}`);
    expect(listed.stdout).toContain('failed: Error: test poison: Account-poison cannot be handled');
    expect(listed.stdout).toContain('1 parked stream(s)');
  });

  it('parked replay runs the stream through the fixed handler and unparks it', async () => {
    expect(await balanceOf('poison')).toBeUndefined();
    const replayed = await tributary('parked', 'replay', 'Account-poison');
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain(`Replayed 1 event(s) of Account-poison through ${Processors.balance}`);
    expect(await balanceOf('poison')).toMatchObject({ owner: 'Mallory', balance: 0 });
    expect((await tributary('parked', 'list')).stdout).toContain('0 parked stream(s)');
  });

  it('parked replay of a stream that is not parked fails with exit code 1', async () => {
    const replayed = await tributary('parked', 'replay', 'Account-alice');
    expect(replayed.code).toBe(1);
    expect(replayed.stderr).toContain('Account-alice is not parked');
  });

  it("rebuild deletes a projection's views and writes them again from the events, with a progress bar", async () => {
    const rebuilt = await tributary('rebuild', 'account-balance');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toContain('Deleted 2 view(s) of account-balance');
    expect(rebuilt.stderr).toMatch(/rebuild account-balance \[#+\] 100% {2}\d+\/\d+ changes/);
    expect(rebuilt.stdout).toContain('Rebuilt account-balance');
    expect(await balanceOf('alice')).toMatchObject({ owner: 'Alice', balance: 4_200 });
  });

  it('rebuild of an unknown projection is a command-line mistake (exit 2) and names the projections there are', async () => {
    const rebuilt = await tributary('rebuild', 'balances');
    expect(rebuilt.code).toBe(2);
    expect(rebuilt.stderr).toContain('account-balance');
    expect(rebuilt.stderr).toContain('account-statement');
    expect(rebuilt.stderr).toContain('Run "tributary rebuild --help" for usage.');
    const replayed = await tributary('replay', 'reactor-nothing');
    expect(replayed.code).toBe(2);
    expect(replayed.stderr).toContain(Processors.statementLines);
  });

  it('replay re-runs a reactor from the beginning: the statement lines are published again', async () => {
    const before = await readFileSummaries(dev.host.summaryDirectory!, 'statement-lines');
    const replayed = await tributary('replay', Processors.statementLines, '--from', 'beginning');
    expect(replayed.code).toBe(0);
    expect(replayed.stderr).toContain(`Rewound 1 lease(s) of ${Processors.statementLines} to the beginning.`);
    expect(replayed.stdout).toContain(`Replayed ${Processors.statementLines}`);
    const after = await readFileSummaries(dev.host.summaryDirectory!, 'statement-lines');
    const keys = (lines: typeof before) => lines.map((line) => line.envelope?.idempotencyKey);
    expect(keys(after).slice(before.length)).toEqual(expect.arrayContaining(keys(before)));
  });
});
