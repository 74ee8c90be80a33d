import { Agent } from 'node:https';
import { describe, expect, it } from 'vitest';
import bankApp from '../../../functions/dev-app.ts';
import { runCli } from '../../../src/cli/run.ts';
import { DevHostConfig, startDevHost } from '../../../src/dev/index.ts';
import { localTokenCredential } from '../../../src/emulator/index.ts';
import { createCosmosClient } from '../../../src/store/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { useEntraAccount } from '../../support/entra-account.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';

const account = useEntraAccount('entra');

async function tributary(roles: Parameters<typeof localTokenCredential>[0]['roles'], ...argv: string[]) {
  const { io, out } = captureIo(
    { COSMOS_ENDPOINT: account.cosmos.endpoint, COSMOS_DATABASE: account.databaseId },
    account.dataDir,
  );
  const credential = localTokenCredential({ key: account.cosmos.key, ...(roles ? { roles } : {}) });
  const code = await runCli(argv, { ...io, credential });
  return { code, ...out };
}

describe('Microsoft Entra ID when no key is given (an account with key auth disabled)', () => {
  it('the key is refused by such an account, so the tools must sign in with a token', async () => {
    const client = createCosmosClient({
      endpoint: account.cosmos.endpoint,
      key: account.cosmos.key,
      clientOptions: { agent: new Agent({ ca: account.cosmos.certificate }) },
    });
    await expect(client.database(account.databaseId).read()).rejects.toMatchObject({ code: 403 });
    client.dispose();
  });

  it('the CLI lists streams, checkpoints, lag and parked streams with an Entra ID token', async () => {
    for (const argv of [['streams', 'Account'], ['checkpoints', 'list'], ['lag'], ['parked', 'list']]) {
      const result = await tributary(undefined, ...argv);
      expect({ argv, code: result.code, error: result.stderr.includes('tributary:') }).toEqual({
        argv,
        code: 0,
        error: false,
      });
    }
  });

  it('an identity without a data-plane role gets exit code 1 naming the account and the role to grant, no token', async () => {
    const result = await tributary([], 'streams', 'Account');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cosmos DB account 127.0.0.1 (${account.cosmos.endpoint})`);
    expect(result.stderr).toContain('Cosmos DB Built-in Data Contributor');
    expect(result.stderr).toContain('00000000-0000-0000-0000-000000000002');
    expect(result.stderr).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    expect(result.stderr).not.toContain(account.cosmos.key);
  });

  it('the dev host runs the app, its processors and its dashboard on the account with a token', async () => {
    const config = DevHostConfig.parse({
      port: 0,
      dataDir: account.dataDir,
      cosmosEndpoint: account.cosmos.endpoint,
      databaseId: account.databaseId,
      lagSampleIntervalMs: 100_000,
    });
    const host = await startDevHost(config, {
      app: bankApp,
      cwd: account.dataDir,
      log: () => undefined,
      credential: localTokenCredential({ key: account.cosmos.key }),
    });
    try {
      expect(host.cosmos).toMatchObject({ kind: 'account', auth: 'entra' });
      const opened = await fetch(`${host.apiUrl}/accounts/ada/open`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ owner: 'Ada' }),
      });
      expect(opened.status).toBe(200);
      const balance = host.processors.find((processor) => processor.kind === 'projection');
      expect(balance).toBeDefined();
      expect(await waitUntilHandled(balance!.scheduler, 'Account-ada', 1n)).toBe('handled');
      const status = await fetch(`${host.url}/dashboard/api/status`);
      expect(status.status).toBe(200);
      expect(await status.text()).not.toContain(account.cosmos.key);
    } finally {
      await host.close();
    }
  });

  it('the dev host refuses to start for an identity without a data-plane role, naming the role', async () => {
    const config = DevHostConfig.parse({
      port: 0,
      dataDir: account.dataDir,
      cosmosEndpoint: account.cosmos.endpoint,
      databaseId: account.databaseId,
    });
    await expect(
      startDevHost(config, {
        app: bankApp,
        cwd: account.dataDir,
        log: () => undefined,
        credential: localTokenCredential({ key: account.cosmos.key, roles: [] }),
      }),
    ).rejects.toThrow(/Cosmos DB Built-in Data Contributor/);
  });
});
