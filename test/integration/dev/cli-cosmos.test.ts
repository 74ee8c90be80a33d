import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import { localTokenCredential, WELL_KNOWN_EMULATOR_KEY } from '../../../src/emulator/index.ts';
import { createCosmosClient } from '../../../src/store/index.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';

describe('tributary cosmos', () => {
  it('--tls writes the certificate to trust and --disable-local-auth takes only Entra ID tokens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-cli-cosmos-'));
    const { io, out, interrupt } = captureIo({}, dir);
    const running = runCli(['cosmos', '--port', '0', '--tls', 'cosmos.pem', '--disable-local-auth'], io);
    let exited: number | undefined;
    void running.then((code) => {
      exited = code;
    });
    // A command that ends before printing its endpoint fails here with what it said, not after the whole timeout.
    const printed = () => (exited === undefined ? out.stdout : `exited ${exited}: ${out.stderr}`);
    await expect.poll(printed, { timeout: 30_000 }).toMatch(/^https:\/\/127\.0\.0\.1:\d+\n/);
    const endpoint = out.stdout.trim();
    const agent = new Agent({ ca: await readFile(join(dir, 'cosmos.pem'), 'utf8') });
    const withKey = createCosmosClient({ endpoint, key: WELL_KNOWN_EMULATOR_KEY, clientOptions: { agent } });
    await expect(withKey.databases.readAll().fetchAll()).rejects.toMatchObject({ code: 403 });
    const withToken = createCosmosClient({
      endpoint,
      credential: localTokenCredential({ key: WELL_KNOWN_EMULATOR_KEY }),
      clientOptions: { agent },
    });
    expect((await withToken.databases.readAll().fetchAll()).resources).toEqual([]);
    withKey.dispose();
    withToken.dispose();
    expect(out.stderr).toContain('Entra ID tokens only');
    interrupt('SIGINT');
    expect(await running).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });
});
