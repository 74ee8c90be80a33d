import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { blobContainerArchive, readArchivedStream } from '../../../src/archive/index.ts';
import { DevHostConfig, devHostConfigFromEnv } from '../../../src/dev/config.ts';
import { startDevArchive } from '../../../src/dev/dev-archive.ts';
import { ContainerNames, createCosmosStore, ensureContainers } from '../../../src/store/index.ts';
import { AzuriteUnavailable, startTestAzurite } from '../../../src/testing/azurite.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { startTestDevHost } from '../dev/dev-host-harness.ts';
import { accountCodec, accountFold } from '../projections/fixtures.ts';

const cosmos = useTestCosmos();
/** Azurite's well-known development key (public; Azurite only). */
const azuriteKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

describe('the dev host archive', () => {
  it('is off unless TRIBUTARY_ARCHIVE=azurite asks for it', () => {
    expect(DevHostConfig.parse(devHostConfigFromEnv({})).archive).toBe('off');
    expect(DevHostConfig.parse(devHostConfigFromEnv({ TRIBUTARY_ARCHIVE: 'azurite' })).archive).toBe('azurite');
    expect(() => DevHostConfig.parse(devHostConfigFromEnv({ TRIBUTARY_ARCHIVE: 's3' }))).toThrow();
  });

  it('runs in the dev host when TRIBUTARY_ARCHIVE=azurite, archiving what the app writes', async () => {
    process.env.TRIBUTARY_ARCHIVE = 'azurite';
    process.env.AZURITE_BLOB_PORT = '0';
    let dev: Awaited<ReturnType<typeof startTestDevHost>> | undefined;
    try {
      dev = await startTestDevHost({ cosmos });
    } finally {
      delete process.env.TRIBUTARY_ARCHIVE;
      delete process.env.AZURITE_BLOB_PORT;
    }
    try {
      expect((await dev.api('POST', '/api/accounts/ada/open', { owner: 'Ada' })).status).toBeLessThan(300);
      const line = dev.lines.find((l) => l.startsWith('Archive: the archiver writes to Azurite at '));
      const url = new URL((line ?? '').split(' at ')[1] ?? 'http://invalid');
      const reader = blobContainerArchive(
        BlobServiceClient.fromConnectionString(
          `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${azuriteKey};BlobEndpoint=${url.origin}/devstoreaccount1;`,
        ).getContainerClient('archive'),
      );
      for (;;) {
        if ((await readArchivedStream(reader, 'Account-ada')).length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await dev.close();
    }
  }, 60_000);

  it('says so clearly when Azurite cannot start', async () => {
    const first = await startTestAzurite();
    try {
      const port = Number(new URL(first.blobEndpoint).port);
      await expect(startTestAzurite({ port })).rejects.toThrow(
        new RegExp(`Azurite could not start: its blob service did not start on port ${port} \\(in use\\?\\)`),
      );
      await expect(startTestAzurite({ port })).rejects.toBeInstanceOf(AzuriteUnavailable);
    } finally {
      await first.close();
    }
  });

  it('archives the events into Azurite under the data directory, where they outlive the host', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tributary-archive-'));
    try {
      const database = await cosmos.database('dev-archive');
      await ensureContainers(cosmos.client, { databaseId: database.id });
      const store = createCosmosStore({ client: cosmos.client, databaseId: database.id });
      const accounts = store.category({ name: 'Account', codec: accountCodec, fold: accountFold });
      await accounts.transact('dev', () => [{ type: 'Opened', data: { owner: 'Dev' } }]);
      const archive = await startDevArchive({
        dataDir,
        port: 0,
        events: database.container(ContainerNames.events),
        leases: database.container(ContainerNames.leases),
        log: () => undefined,
      });
      expect(archive.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/archive$/);
      const port = Number(new URL(archive.url).port);
      while (archive.archivedEvents() < 1) await new Promise((resolve) => setTimeout(resolve, 20));
      await archive.close();

      const again = await startTestAzurite({ location: join(dataDir, 'azurite'), port });
      try {
        const blobs = await again.archive('archive');
        const events = await readArchivedStream(blobs, 'Account-dev');
        expect(events.map((e) => e.type)).toEqual(['Opened']);
      } finally {
        await again.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
