import type { TokenCredential } from '@azure/core-auth';
import { defaultAzureCredential, isLocalEndpoint } from '../store/index.ts';
import type { ArchiveBlobs } from './archive-blobs.ts';
import { blobContainerArchive } from './blob-store.ts';
import { InvalidArchiveOptions } from './errors.ts';

/** The archive's blob container unless told otherwise (the CLI's `TRIBUTARY_ARCHIVE_CONTAINER`, the Bicep default). */
export const defaultArchiveContainer = 'archive';

/** Where the archive lives: a blob container, reached with Entra ID, or Azurite's development account locally. */
export type BlobArchiveConnection =
  | {
      /** e.g. `https://<account>.blob.core.windows.net` */
      readonly accountUrl: string;
      readonly container: string;
      /** default `DefaultAzureCredential`; the identity needs "Storage Blob Data Contributor" on the container */
      readonly credential?: TokenCredential;
    }
  | {
      /** Azurite only (a loopback `BlobEndpoint`): account keys are refused for anything else */
      readonly connectionString: string;
      readonly container: string;
    };

const blobEndpointOf = (connectionString: string) => /(?:^|;)BlobEndpoint=([^;]+)/i.exec(connectionString)?.[1] ?? '';

/**
 * Opens the archive container (creating it if missing). `@azure/storage-blob` is an optional peer dependency,
 * imported only here.
 */
export async function openBlobArchive(connection: BlobArchiveConnection): Promise<ArchiveBlobs> {
  const { BlobServiceClient } = await import('@azure/storage-blob');
  let service: InstanceType<typeof BlobServiceClient>;
  if ('connectionString' in connection) {
    if (!isLocalEndpoint(blobEndpointOf(connection.connectionString))) {
      throw new InvalidArchiveOptions(
        'openBlobArchive',
        'a connection string is accepted only for Azurite on this machine; use accountUrl with Entra ID for Azure',
      );
    }
    service = BlobServiceClient.fromConnectionString(connection.connectionString);
  } else {
    service = new BlobServiceClient(connection.accountUrl, connection.credential ?? defaultAzureCredential());
  }
  const container = service.getContainerClient(connection.container);
  await container.createIfNotExists();
  return blobContainerArchive(container);
}
