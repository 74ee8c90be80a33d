import type { ContainerClient } from '@azure/storage-blob';
import { ArchiveUnavailable } from './errors.ts';

/** A blob as read back, with the metadata written beside it. */
export interface ArchiveBlob {
  readonly bytes: Uint8Array;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What the store says about a blob without downloading it. */
export interface ArchiveBlobProperties {
  readonly length: number;
  /** base64 MD5 of the stored content, computed by the service */
  readonly md5: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Requests made to the blob store, by kind: the archive's cost counters. */
export interface ArchiveRequestCounts {
  put: number;
  get: number;
  properties: number;
  list: number;
  remove: number;
  bytesWritten: number;
  bytesRead: number;
}

/**
 * The blob operations the archive needs: the one seam between the archive and Azure Blob Storage, so that tests can
 * put a faulty store in between. Every failure other than "not found" is an `ArchiveUnavailable`.
 */
export interface ArchiveBlobs {
  /** names the store in messages (account and container, never a key) */
  readonly where: string;
  /** writes (or overwrites) a whole blob in one request */
  put(name: string, bytes: Uint8Array, metadata: Record<string, string>): Promise<void>;
  get(name: string): Promise<ArchiveBlob | undefined>;
  properties(name: string): Promise<ArchiveBlobProperties | undefined>;
  /** blob names under `prefix`, in the store's (lexicographic) order */
  list(prefix: string): AsyncIterable<string>;
  remove(name: string): Promise<void>;
  readonly requests: ArchiveRequestCounts;
}

const statusOf = (error: unknown) => (error as { statusCode?: unknown } | null)?.statusCode;

/** The archive over one Azure Blob Storage container (`@azure/storage-blob`'s `ContainerClient`). */
export function blobContainerArchive(container: ContainerClient): ArchiveBlobs {
  const where = `${container.accountName}/${container.containerName}`;
  const requests: ArchiveRequestCounts = {
    put: 0,
    get: 0,
    properties: 0,
    list: 0,
    remove: 0,
    bytesWritten: 0,
    bytesRead: 0,
  };
  async function guarded<T>(operation: string, name: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw new ArchiveUnavailable(operation, `${where}/${name}`, { cause: error });
    }
  }
  return {
    where,
    requests,
    put: (name, bytes, metadata) =>
      guarded('write', name, async () => {
        requests.put++;
        requests.bytesWritten += bytes.byteLength;
        await container.getBlockBlobClient(name).upload(bytes, bytes.byteLength, {
          metadata,
          blobHTTPHeaders: { blobContentType: name.endsWith('.json') ? 'application/json' : 'application/gzip' },
        });
      }),
    get: (name) =>
      guarded('read', name, async () => {
        requests.get++;
        try {
          const response = await container.getBlobClient(name).download();
          const chunks: Buffer[] = [];
          for await (const chunk of response.readableStreamBody ?? []) chunks.push(chunk as Buffer);
          const bytes = new Uint8Array(Buffer.concat(chunks));
          requests.bytesRead += bytes.byteLength;
          return { bytes, metadata: response.metadata ?? {} };
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        }
      }),
    properties: (name) =>
      guarded('inspect', name, async () => {
        requests.properties++;
        try {
          const properties = await container.getBlobClient(name).getProperties();
          return {
            length: properties.contentLength ?? 0,
            md5: properties.contentMD5 ? Buffer.from(properties.contentMD5).toString('base64') : undefined,
            metadata: properties.metadata ?? {},
          };
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        }
      }),
    async *list(prefix) {
      const pages = container.listBlobsFlat({ prefix }).byPage({ maxPageSize: 5_000 });
      for (;;) {
        const page = await guarded('list', `${prefix}*`, async () => {
          requests.list++;
          return pages.next();
        });
        if (page.done) return;
        for (const blob of page.value.segment.blobItems) yield blob.name;
      }
    },
    remove: (name) =>
      guarded('delete', name, async () => {
        requests.remove++;
        await container.getBlobClient(name).deleteIfExists();
      }),
  };
}
