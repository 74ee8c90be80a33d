import type { ContainerClient } from '@azure/storage-blob';
import type { ArchiveBlobs, ArchiveRequestCounts } from './archive-blobs.ts';
import { ArchiveUnavailable } from './errors.ts';

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
