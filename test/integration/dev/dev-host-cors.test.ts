import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bankApp from '../../../functions/dev-app.ts';
import { type DevHost, DevHostConfig, devHostConfigFromEnv, startDevHost } from '../../../src/dev/index.ts';

const allowed = 'http://localhost:5173';
let dataDir: string;
let host: DevHost;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tributary-cors-'));
  const config = DevHostConfig.parse({
    ...devHostConfigFromEnv({ TRIBUTARY_CORS_ORIGINS: `${allowed}, https://app.example` }),
    port: 0,
    cosmosPort: 0,
    dataDir,
  });
  host = await startDevHost(config, { app: bankApp, cwd: dataDir, log: () => undefined });
});

afterAll(async () => {
  await host?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('CORS on the dev host', () => {
  it('is off unless configured, and TRIBUTARY_CORS_ORIGINS lists the origins that may call the API', async () => {
    const preflight = (origin: string) =>
      fetch(`${host.apiUrl}/accounts/a/deposit`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const yes = await preflight(allowed);
    expect(yes.headers.get('access-control-allow-origin')).toBe(allowed);
    const no = await preflight('http://evil.example');
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a setting that is not a list of origins, naming the setting', () => {
    expect(() => DevHostConfig.parse(devHostConfigFromEnv({ TRIBUTARY_CORS_ORIGINS: 'not a url' }))).toThrow(
      /corsOrigins/,
    );
    expect(DevHostConfig.parse(devHostConfigFromEnv({})).corsOrigins).toEqual([]);
  });
});
