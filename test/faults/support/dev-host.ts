import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bankApp from '../../../functions/dev-app.ts';
import { type DevHost, DevHostConfig, startDevHost } from '../../../src/dev/index.ts';
import { startTestCosmos, type TestCosmos } from '../../support/cosmos.ts';

/**
 * The sample bank app behind the dev host's real HTTP server, on a Cosmos server this process owns (so the test can
 * count what was written), with every log line captured.
 */
export interface HostedBank {
  readonly host: DevHost;
  readonly cosmos: TestCosmos;
  readonly lines: string[];
  request(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<HttpResult>;
  close(): Promise<void>;
}

export interface HttpResult {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

export async function startHostedBank(extra: { eventHubsConnectionString?: string } = {}): Promise<HostedBank> {
  const cosmos = await startTestCosmos();
  const dataDir = await mkdtemp(join(tmpdir(), 'tributary-faults-'));
  const lines: string[] = [];
  try {
    const config = DevHostConfig.parse({
      port: 0,
      cosmosPort: 0,
      dataDir,
      databaseId: `faults-${randomUUID().slice(0, 8)}`,
      cosmosEndpoint: cosmos.endpoint,
      cosmosKey: cosmos.key,
      lagSampleIntervalMs: 250,
      ...extra,
    });
    const host = await startDevHost(config, {
      app: bankApp,
      cwd: dataDir,
      log: (line) => lines.push(line),
      retryInitialDelayMs: 10,
    });
    return {
      host,
      cosmos,
      lines,
      async request(method, path, body, headers = {}) {
        const response = await fetch(`${host.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          ...(body === undefined ? {} : { body }),
        });
        return {
          status: response.status,
          contentType: response.headers.get('content-type') ?? '',
          text: await response.text(),
        };
      },
      async close() {
        await host.close();
        await cosmos.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await cosmos.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
