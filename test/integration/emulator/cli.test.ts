import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { localTokenCredential, WELL_KNOWN_EMULATOR_KEY } from '../../../src/emulator/index.ts';

// `npm run cosmos -- …` runs `tsx src/emulator/main.ts …`; the tests start the same entry point with the same loader
// directly, so that SIGTERM reaches the server itself rather than npm's wrapper process.
const entry = 'src/emulator/main.ts';

function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpoint = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /^https?:\/\/127\.0\.0\.1:\d+$/m.exec(stdout);
      if (match) resolve(match[0]);
    });
    exited.then((code) => reject(new Error(`the server exited (${code}) before printing its endpoint: ${stderr}`)));
  });
  return { child, endpoint, exited, output: () => ({ stdout, stderr }) };
}

function clientFor(endpoint: string, key: string): CosmosClient {
  return new CosmosClient({ endpoint, key, connectionPolicy: { enableEndpointDiscovery: false } });
}

describe('npm run cosmos', () => {
  it('is the script that runs the emulator entry point', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.cosmos).toBe(`tsx ${entry}`);
  });

  it('serves the requested number of feed ranges with the given key, prints its endpoint and stops on SIGTERM', async () => {
    const key = randomBytes(64).toString('base64');
    const cli = runCli(['--port', '0', '--partitions', '3', '--key', key]);
    const endpoint = await cli.endpoint;
    expect(cli.output().stdout.trim()).toBe(endpoint);

    const client = clientFor(endpoint, key);
    const { database } = await client.databases.create({ id: 'cli' });
    const { container } = await database.containers.create({ id: 'events', partitionKey: { paths: ['/p'] } });
    expect(await container.getFeedRanges()).toHaveLength(3);
    client.dispose();

    const wellKnown = clientFor(endpoint, WELL_KNOWN_EMULATOR_KEY);
    await expect(wellKnown.database('cli').read()).rejects.toMatchObject({ code: 401 });
    wellKnown.dispose();

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('serves https with --tls, writing the certificate a client trusts, and refuses keys with --disable-local-auth', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tributary-tls-'));
    const certificate = join(directory, 'cosmos.pem');
    const cli = runCli(['--port', '0', '--tls', certificate, '--disable-local-auth']);
    try {
      const endpoint = await cli.endpoint;
      expect(endpoint).toMatch(/^https:/);
      const agent = new Agent({ ca: readFileSync(certificate, 'utf8') });
      const byKey = new CosmosClient({
        endpoint,
        key: WELL_KNOWN_EMULATOR_KEY,
        agent,
        connectionPolicy: { enableEndpointDiscovery: false },
      });
      await expect(byKey.databases.create({ id: 'by-key' })).rejects.toMatchObject({ code: 403 });
      byKey.dispose();
      const byToken = new CosmosClient({
        endpoint,
        aadCredentials: localTokenCredential({ key: WELL_KNOWN_EMULATOR_KEY }),
        agent,
        connectionPolicy: { enableEndpointDiscovery: false },
      });
      expect((await byToken.getDatabaseAccount()).statusCode).toBe(200);
      byToken.dispose();
      agent.destroy();
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses invalid arguments with a usage message and exit status 2', async () => {
    for (const args of [
      ['--port', 'eighty'],
      ['--port', '0', '--partitions', '0'],
      ['--port', '0', '--colour'],
    ]) {
      const cli = runCli(args);
      await expect(cli.endpoint).rejects.toThrow(/exited/);
      expect(await cli.exited).toBe(2);
      expect(cli.output().stderr).toMatch(/usage: npm run cosmos -- --port <port>/);
    }
  });
});
