import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountCategoryIn } from '../../../functions/bank/accounts.ts';
import { runCli } from '../../../src/cli/run.ts';
import { createCosmosStore } from '../../../src/store/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';

const cosmos = useTestCosmos();
let databaseId: string;
/** the moment between the second and the third deposit */
let between: Date;

async function tributary(...argv: string[]) {
  const { io, out } = captureIo({ COSMOS_KEY: cosmos.key });
  const code = await runCli([...argv, '--endpoint', cosmos.endpoint, '--database', databaseId], io);
  return { code, ...out };
}

beforeAll(async () => {
  databaseId = `cli-at-${randomUUID().slice(0, 8)}`;
  expect((await tributary('init')).code).toBe(0);
  const accounts = accountCategoryIn(createCosmosStore({ client: cosmos.client, databaseId }));
  await accounts.transact('alice', () => [{ type: 'Opened', data: { owner: 'Alice', overdraftLimit: 0 } }]);
  for (const [n, amount] of [100, 250, 400].entries()) {
    if (n === 2) {
      await delay(20);
      between = new Date();
      await delay(20);
    }
    await accounts.transact('alice', () => [{ type: 'Deposited', data: { transactionId: `t${n}`, amount } }]);
  }
});

afterAll(async () => {
  await cosmos.client
    .database(databaseId)
    .delete()
    .catch(() => undefined);
  await cosmos.close();
});

describe('tributary dump --at', () => {
  it("prints the app's state of a stream as of a version, with what it cost", async () => {
    const dumped = await tributary('dump', 'Account-alice', '--at', '2');
    expect(dumped.code).toBe(0);
    expect(dumped.stdout).toMatch(/^Account-alice as of version 2 of 4 \(after #1 Deposited at \S+Z\)\n/);
    expect(dumped.stdout).toMatch(/folded from the start: 2 event\(s\) folded, \d+ request\(s\)/);
    expect(dumped.stdout).toContain('"balance": 100');
  });

  it('prints the state as of a time, echoing the instant in UTC', async () => {
    const dumped = await tributary('dump', 'Account-alice', '--at', between.toISOString(), '--json');
    expect(dumped.code).toBe(0);
    expect(dumped.stderr).toContain(`As of ${between.toISOString()} (UTC).`);
    const printed = JSON.parse(dumped.stdout);
    expect(printed).toMatchObject({
      kind: 'state',
      stream: 'Account-alice',
      version: 3,
      currentVersion: 4,
      lastEvent: { index: 2, type: 'Deposited' },
      origin: { kind: 'start' },
      state: { owner: 'Alice', balance: 350 },
    });
    expect(printed.requests).toBeGreaterThan(0);
  });

  it("folds the current version from the tip's snapshot with one request", async () => {
    const printed = JSON.parse((await tributary('dump', 'Account-alice', '--at', '4', '--json')).stdout);
    expect(printed).toMatchObject({ version: 4, requests: 1, origin: { kind: 'snapshot', type: 'Snapshotted' } });
    expect(printed.state.balance).toBe(750);
  });

  it('refuses a version the stream never had, and an --at that is neither a version nor a time', async () => {
    const beyond = await tributary('dump', 'Account-alice', '--at', '9');
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toContain('Stream Account-alice has 4 event(s); it never was at version 9');
    const wrong = await tributary('dump', 'Account-alice', '--at', 'yesterday');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--at "yesterday" is neither a version');
  });
});
