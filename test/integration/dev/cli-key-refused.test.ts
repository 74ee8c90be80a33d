// A wrong COSMOS_KEY is named as such (never printed), not left as Cosmos's raw authorization-token text.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import { type LocalCosmos, startLocalCosmos } from '../../../src/emulator/index.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';

describe('the CLI with a COSMOS_KEY the account refuses', () => {
  let server: LocalCosmos;
  beforeAll(async () => {
    server = await startLocalCosmos({ port: 0, key: randomBytes(64).toString('base64') });
  });
  afterAll(() => server.close());

  it('says the key in COSMOS_KEY was refused (401), exit 1, without printing the key', async () => {
    const wrongKey = randomBytes(64).toString('base64');
    const { io, out } = captureIo({ COSMOS_ENDPOINT: server.endpoint, COSMOS_KEY: wrongKey });
    expect(await runCli(['streams', 'Account'], io)).toBe(1);
    expect(out.stderr).toContain(`${server.endpoint} refused the key in COSMOS_KEY (HTTP 401)`);
    expect(out.stderr).not.toContain(wrongKey);
    expect(out.stderr).not.toContain(server.key);
  });

  it('still works with the right key', async () => {
    const { io, out } = captureIo({ COSMOS_ENDPOINT: server.endpoint, COSMOS_KEY: server.key });
    expect(await runCli(['init'], io)).toBe(0);
    expect(await runCli(['streams', 'Account'], io)).toBe(0);
    expect(out.stderr).not.toContain('refused');
  });
});
