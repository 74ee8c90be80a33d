import { resolve } from 'node:path';
import type { Container } from '@azure/cosmos';
import { createArchiver, defaultArchiveContainer, runArchiver } from '../archive/index.ts';
import { startTestAzurite } from '../testing/azurite.ts';

/** The dev host's archive: Azurite with its blobs under the data directory, and the archiver running into it. */
export interface DevArchive {
  /** e.g. `http://127.0.0.1:10000/devstoreaccount1/archive` */
  readonly url: string;
  /** events archived since the host started */
  archivedEvents(): number;
  close(): Promise<void>;
}

/**
 * Starts Azurite's blob service (blobs kept in `<dataDir>/azurite`, so the archive outlives the host as the archiver's
 * checkpoints do) and runs the archiver over the events container. Azurite is a development dependency, imported
 * only when the archive is asked for (`TRIBUTARY_ARCHIVE=azurite`).
 */
export async function startDevArchive(options: {
  readonly dataDir: string;
  readonly port: number;
  readonly events: Container;
  readonly leases: Container;
  readonly log: (line: string) => void;
}): Promise<DevArchive> {
  const azurite = await startTestAzurite({ location: resolve(options.dataDir, 'azurite'), port: options.port });
  try {
    const blobs = await azurite.archive(defaultArchiveContainer);
    const archiver = createArchiver({ blobs });
    const running = await runArchiver(archiver, {
      events: options.events,
      leases: options.leases,
      processor: {
        onError: (error) => options.log(`archiver: ${error instanceof Error ? error.message : String(error)}`),
      },
    });
    return {
      url: `${azurite.blobEndpoint}/${defaultArchiveContainer}`,
      archivedEvents: () => archiver.stats().events,
      async close() {
        await running.stop();
        await azurite.close();
      },
    };
  } catch (error) {
    await azurite.close();
    throw error;
  }
}
