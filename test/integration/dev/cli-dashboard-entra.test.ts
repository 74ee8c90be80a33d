// `tributary dashboard` against an account with key auth disabled: the local server with `disableLocalAuth`, over
// https, reached with Microsoft Entra ID tokens.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import type { DashboardStatus } from '../../../src/dev/index.ts';
import { localTokenCredential, startLocalCosmos } from '../../../src/emulator/index.ts';
import type { LocalCosmos } from '../../../src/emulator/types.ts';
import { createCosmosClient, ensureContainers } from '../../../src/store/index.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';

let dataDir: string;
let cosmos: LocalCosmos;
const databaseId = 'entra-dashboard';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tributary-entra-dashboard-'));
  const setup = await startLocalCosmos({ dataDir });
  const client = createCosmosClient({ endpoint: setup.endpoint, key: setup.key });
  await ensureContainers(client, { databaseId });
  client.dispose();
  await setup.close();
  cosmos = await startLocalCosmos({ dataDir, tls: true, disableLocalAuth: true });
  // The CLI's own https agent must trust the server's self-signed certificate: in this test process only.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
});

afterAll(async () => {
  await cosmos?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('tributary dashboard with Microsoft Entra ID', () => {
  it('serves the read-only page for an account that refuses keys, signing in with a token', async () => {
    const { io, out, interrupt } = captureIo(
      { COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_DATABASE: databaseId },
      dataDir,
    );
    const exit = runCli(['dashboard', '--port', '0'], { ...io, credential: localTokenCredential({ key: cosmos.key }) });
    await expect.poll(() => out.stdout + out.stderr, { timeout: 20_000 }).toMatch(/http:\/\/\S+\/\n|tributary:/);
    const url = /(http:\/\/\S+)\/\n/.exec(out.stdout)?.[1];
    expect(url, out.stderr).toBeDefined();
    const response = await fetch(`${url}/dashboard/api/status`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(cosmos.key);
    expect(JSON.parse(text) as DashboardStatus).toMatchObject({
      readOnly: true,
      cosmos: { endpoint: cosmos.endpoint, database: databaseId },
    });
    interrupt();
    expect(await exit).toBe(0);
    expect(out.stdout + out.stderr).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });
});
