import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import type { DashboardStatus } from '../../../src/dev/index.ts';
import { localTokenCredential } from '../../../src/emulator/index.ts';
import { useEntraAccount } from '../../support/entra-account.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';

const account = useEntraAccount('entra-dashboard');

describe('tributary dashboard with Microsoft Entra ID', () => {
  it('serves the read-only page for an account that refuses keys, signing in with a token', async () => {
    const { io, out, interrupt } = captureIo(
      { COSMOS_ENDPOINT: account.cosmos.endpoint, COSMOS_DATABASE: account.databaseId },
      account.dataDir,
    );
    const exit = runCli(['dashboard', '--port', '0'], {
      ...io,
      credential: localTokenCredential({ key: account.cosmos.key }),
    });
    await expect.poll(() => out.stdout + out.stderr, { timeout: 20_000 }).toMatch(/http:\/\/\S+\/\n|tributary:/);
    const url = /(http:\/\/\S+)\/\n/.exec(out.stdout)?.[1];
    expect(url, out.stderr).toBeDefined();
    const response = await fetch(`${url}/dashboard/api/status`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(account.cosmos.key);
    expect(JSON.parse(text) as DashboardStatus).toMatchObject({
      readOnly: true,
      cosmos: { endpoint: account.cosmos.endpoint, database: account.databaseId },
    });
    interrupt();
    expect(await exit).toBe(0);
    expect(out.stdout + out.stderr).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });
});
