import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBankApp } from '../../../functions/app.ts';
import { createArchiver, runArchiver } from '../../../src/archive/index.ts';
import { runCli } from '../../../src/cli/run.ts';
import { ContainerNames } from '../../../src/store/index.ts';
import { createFileSummarySink } from '../../../src/summaries/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';
import { startTestDevHost } from '../dev/dev-host-harness.ts';
import { fastProcessor } from '../projections/fixtures.ts';
import { useTestAzurite } from './fixtures.ts';

const cosmos = useTestCosmos();
const azurite = useTestAzurite();
let dev: Awaited<ReturnType<typeof startTestDevHost>>;

async function tributary(env: Record<string, string>, ...argv: string[]) {
  const { io, out } = captureIo({ COSMOS_KEY: cosmos.key, TRIBUTARY_DATA_DIR: dev.dataDir, ...env }, dev.dataDir);
  const code = await runCli([...argv, '--endpoint', cosmos.endpoint, '--database', dev.config.databaseId], io);
  return { code, ...out };
}

const bank = () =>
  createBankApp({
    client: cosmos.client,
    databaseId: dev.config.databaseId,
    publisher: createFileSummarySink({ directory: dev.dataDir }),
  });

beforeAll(async () => {
  dev = await startTestDevHost({ cosmos });
  await dev.api('POST', '/api/accounts/alice/open', { owner: 'Alice' });
  await dev.api('POST', '/api/accounts/alice/deposit', { amount: 4_200, transactionId: 't1' });
  await dev.api('POST', '/api/accounts/bob/open', { owner: 'Bob' });
  await dev.host.close();
  // Archive what there is, then stop the archiver: its checkpoint is where the rebuild switches to the feed.
  const database = cosmos.client.database(dev.config.databaseId);
  const archiver = createArchiver({ blobs: await azurite().archive('archive') });
  const running = await runArchiver(archiver, {
    events: database.container(ContainerNames.events),
    leases: database.container(ContainerNames.leases),
    processor: fastProcessor,
  });
  await waitUntilHandled(running.scheduler, 'Account-alice', 2n);
  await waitUntilHandled(running.scheduler, 'Account-bob', 1n);
  await running.stop();
}, 60_000);

afterAll(async () => {
  await dev?.close();
});

describe('tributary rebuild --from archive', () => {
  it('rebuilds a projection from the archive, then the feed, with a progress bar', async () => {
    const rebuilt = await tributary(
      { TRIBUTARY_ARCHIVE_CONNECTION_STRING: azurite().connectionString, TRIBUTARY_ARCHIVE_CONTAINER: 'archive' },
      'rebuild',
      'account-balance',
      '--from',
      'archive',
    );
    expect(rebuilt.stderr).toMatch(/rebuild account-balance from the archive \[#+\] 100% {2}\d+\/\d+ segments/);
    expect(rebuilt.stdout).toMatch(/Rebuilt account-balance: [1-9]\d* event\(s\) from the archive/);
    expect(rebuilt.code).toBe(0);
    expect(await bank().projections.balance.read('Account-alice')).toMatchObject({ owner: 'Alice', balance: 4_200 });
    expect(await bank().projections.balance.read('Account-bob')).toMatchObject({ owner: 'Bob', balance: 0 });
  });

  it('without an archive configured, --from archive is a command-line mistake (exit 2)', async () => {
    const rebuilt = await tributary({}, 'rebuild', 'account-balance', '--from', 'archive');
    expect(rebuilt.code).toBe(2);
    expect(rebuilt.stderr).toContain('TRIBUTARY_ARCHIVE_URL');
  });

  it('refuses an account key for anything but Azurite', async () => {
    const rebuilt = await tributary(
      {
        TRIBUTARY_ARCHIVE_CONNECTION_STRING:
          'DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net',
      },
      'rebuild',
      'account-balance',
      '--from',
      'archive',
    );
    expect(rebuilt.code).not.toBe(0);
    expect(rebuilt.stderr).toContain('only for Azurite');
    expect(rebuilt.stderr).not.toContain('c2VjcmV0');
  });
});
