import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveBlobs } from '../archive/archive-blobs.ts';
import { blobContainerArchive } from '../archive/blob-store.ts';
import { TributaryError } from '../core/errors.ts';

/** Azurite's well-known development account: public, and accepted by Azurite only. */
const devAccount = 'devstoreaccount1';
const devKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Azurite (the npm package, a development dependency) is not installed or did not start. */
export class AzuriteUnavailable extends TributaryError {
  readonly code = 'AzuriteUnavailable';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Azurite could not start: ${reason}.`, options);
  }
}

/** A local Blob Storage endpoint (Azurite's blob service) in this process, in memory. */
export interface TestAzurite {
  /** e.g. `http://127.0.0.1:41234/devstoreaccount1` */
  readonly blobEndpoint: string;
  /** a connection string for the development account (Azurite only; never use account keys against Azure) */
  readonly connectionString: string;
  /** Tributary's archive over the blob container `name` of this Azurite (created if it does not exist) */
  archive(name: string): Promise<ArchiveBlobs>;
  /** stops the server; its blobs are gone */
  close(): Promise<void>;
}

interface BlobServerInstance {
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
  getHttpServerAddress(): string;
}

type Constructor<T> = new (...args: unknown[]) => T;

const defaultExport = <T>(module: { default?: unknown }): T => {
  const inner = module.default as { default?: unknown } | undefined;
  return (inner?.default ?? inner) as T;
};

export interface AzuriteOptions {
  /** keep the blobs in this directory (`--location`) instead of in memory, so they outlive the process */
  readonly location?: string;
  /** the blob service's port on 127.0.0.1 (default 0: a free port; Azurite's usual is 10000) */
  readonly port?: number;
}

/**
 * Starts Azurite's blob service in this process on 127.0.0.1 and a free port, in memory (`--inMemoryPersistence`)
 * unless `location` is given, with `--loose` and `--skipApiVersionCheck`. Azurite and `@azure/storage-blob` are imported only here, on first use.
 * Throws `AzuriteUnavailable` when either is missing or the server does not start.
 */
export async function startTestAzurite(options: AzuriteOptions = {}): Promise<TestAzurite> {
  const { location, port = 0 } = options;
  let server: BlobServerInstance;
  let storage: typeof import('@azure/storage-blob');
  try {
    const [serverModule, configurationModule, blobModule] = await Promise.all([
      import('azurite/dist/src/blob/BlobServer.js' as string) as Promise<{ default?: unknown }>,
      import('azurite/dist/src/blob/BlobConfiguration.js' as string) as Promise<{ default?: unknown }>,
      import('@azure/storage-blob'),
    ]);
    storage = blobModule;
    const BlobServer = defaultExport<Constructor<BlobServerInstance>>(serverModule);
    const BlobConfiguration = defaultExport<Constructor<object>>(configurationModule);
    // Positional constructor (Azurite 3.x): host, port, keep-alive, two DB paths, persistence paths, access log,
    // its stream, debug log, its path, loose, skipApiVersionCheck, cert, key, pwd, oauth, product-style URLs off,
    // in-memory persistence.
    const configuration = new BlobConfiguration(
      '127.0.0.1',
      port,
      undefined,
      location === undefined ? undefined : join(location, '__azurite_db_blob__.json'),
      location === undefined ? undefined : join(location, '__azurite_db_blob_extent__.json'),
      location === undefined
        ? undefined
        : [{ locationId: 'Default', locationPath: join(location, 'blobstorage'), maxConcurrency: 10 }],
      false,
      undefined,
      false,
      undefined,
      true,
      true,
      '',
      '',
      '',
      undefined,
      false,
      location === undefined,
    );
    server = new BlobServer(configuration);
  } catch (error) {
    throw new AzuriteUnavailable(
      'the azurite or @azure/storage-blob package could not be loaded. Install both as development dependencies ' +
        '(npm install --save-dev azurite @azure/storage-blob); they are only needed by tests and the local dev host',
      { cause: error },
    );
  }
  try {
    if (location !== undefined) await mkdir(location, { recursive: true });
    await server.start();
  } catch (error) {
    const where = port === 0 ? 'a free port' : `port ${port} (in use?)`;
    throw new AzuriteUnavailable(`its blob service did not start on ${where}: ${String(error)}`, { cause: error });
  }
  const blobEndpoint = `${server.getHttpServerAddress()}/${devAccount}`;
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${devAccount};AccountKey=${devKey};BlobEndpoint=${blobEndpoint};`;
  const service = storage.BlobServiceClient.fromConnectionString(connectionString);
  return {
    blobEndpoint,
    connectionString,
    async archive(name) {
      const client = service.getContainerClient(name);
      await client.createIfNotExists();
      return blobContainerArchive(client);
    },
    async close() {
      await server.close();
      if (location === undefined) await server.clean().catch(() => undefined);
    },
  };
}
