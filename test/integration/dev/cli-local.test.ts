import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import { WELL_KNOWN_EMULATOR_KEY } from '../../../src/emulator/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';
import { Processors, startTestDevHost } from './dev-host-harness.ts';

// These run as a user without COSMOS_ENDPOINT would: on the local dev data in the working directory.
let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'tributary-cli-'));
});

afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function tributary(...argv: string[]) {
  const { io, out } = captureIo({}, cwd);
  const code = await runCli(argv, io);
  return { code, ...out };
}

describe('tributary on the local dev data', () => {
  it('works on .tributary/ without an endpoint, and the data stays there between commands', async () => {
    const init = await tributary('init');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(
      'in the local dev data in .tributary has containers events, leases, views, dead-letters',
    );
    expect(existsSync(join(cwd, '.tributary', 'cosmos'))).toBe(true);
    const streams = await tributary('streams', 'Account');
    expect(streams).toMatchObject({ code: 0, stdout: '', stderr: '0 stream(s) in category Account.\n' });
  });

  it('dev runs the host until Ctrl-C; meanwhile other commands go through its server', async () => {
    const { io, out, interrupt } = captureIo({}, cwd);
    const running = runCli(['dev', '--port', '0', '--cosmos-port', '0'], io);
    await expect.poll(() => out.stdout, { timeout: 30_000 }).toContain('Press Ctrl-C to stop.');
    expect(out.stdout).toMatch(/Summaries: {3}file → .*summaries\/<topic>\.jsonl/);
    const api = /API: +(\S+)/.exec(out.stdout)?.[1];
    expect(api).toBeDefined();
    const opened = await fetch(`${api}/accounts/dora/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"owner":"Dora"}',
    });
    expect(opened.status).toBe(200);

    const streams = await tributary('streams', 'Account');
    expect(streams.stdout).toBe('Account-dora  version 1\n');
    const rebuild = await tributary('rebuild', 'account-balance');
    expect(rebuild.code).toBe(1);
    expect(rebuild.stderr).toContain('The dev host is running on this data');

    interrupt('SIGINT');
    expect(await running).toBe(0);
    expect(out.stderr).toContain('SIGINT: stopping the dev host');
    expect(out.stderr).toContain('Stopped.');
    expect(existsSync(join(cwd, '.tributary', 'dev-host.json'))).toBe(false);
    expect((await tributary('streams', 'Account')).stdout).toBe('Account-dora  version 1\n');
  });

  it('dev fails with exit code 1 and names the setting to change when its port is taken', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const started = await tributary('dev', '--port', String(port), '--cosmos-port', '0');
      expect(started.code).toBe(1);
      // The host may have logged its processors' first lease changes before the HTTP server failed to listen.
      expect(started.stderr).toContain(
        `tributary: Port ${port} for the API and dashboard is already in use (another dev host?). ` +
          'Stop that one, or set PORT (or --port) to a free port.\n',
      );
    } finally {
      busy.close();
    }
  });

  it('parked list and parked replay go through the running dev host, which replays the stream itself', async () => {
    const dev = await startTestDevHost({
      poison: { processor: Processors.balance, stream: 'Account-poison' },
      local: true,
    });
    try {
      await dev.api('POST', '/api/accounts/poison/open', { owner: 'Mallory' });
      expect(await waitUntilHandled(dev.processor(Processors.balance).scheduler, 'Account-poison', 1n)).toBe('parked');
      const listed = await tributary('parked', 'list', '--data-dir', dev.dataDir, '--database', dev.config.databaseId);
      expect(listed.stdout).toContain(`Account-poison  processor ${Processors.balance}`);
      expect(listed.stdout).toContain("1 parked stream(s) in the running dev host's server");

      dev.cure();
      const replayed = await tributary(
        'parked',
        'replay',
        'Account-poison',
        '--data-dir',
        dev.dataDir,
        '--database',
        dev.config.databaseId,
      );
      expect(replayed).toMatchObject({ code: 0, stderr: '' });
      expect(replayed.stdout).toBe(`Replayed Account-poison through ${Processors.balance}: it is flowing again.\n`);
      expect(await dev.api('GET', '/api/accounts/poison')).toMatchObject({ status: 200, body: { owner: 'Mallory' } });
    } finally {
      await dev.close();
    }
  });

  it('cosmos serves the local Cosmos DB server until Ctrl-C', async () => {
    const { io, out, interrupt } = captureIo({}, cwd);
    const running = runCli(['cosmos', '--port', '0'], io);
    await expect.poll(() => out.stdout, { timeout: 30_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/);
    const client = new CosmosClient({
      endpoint: out.stdout.trim(),
      key: WELL_KNOWN_EMULATOR_KEY,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    await client.databases.createIfNotExists({ id: 'probe' });
    client.dispose();
    interrupt('SIGTERM');
    expect(await running).toBe(0);
    expect(out.stderr).toContain('data in memory');
  });
});
