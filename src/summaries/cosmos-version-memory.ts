import type { Container } from '@azure/cosmos';
import type { LastSeenVersions } from './receiver.ts';

/** Options of `cosmosLastSeenVersions`. */
export interface CosmosLastSeenVersionsOptions {
  /** how many streams' versions are kept in memory too (reads of them cost nothing). Default 100,000 */
  readonly maxCached?: number;
  /** a prefix that keeps several consumers' memories apart in one container (e.g. the consumer's name) */
  readonly prefix?: string;
}

interface VersionDocument {
  readonly id: string;
  readonly key: string;
  /** a decimal string: versions are bigints */
  readonly version: string;
  readonly updatedAt: string;
}

/**
 * The last handled summary version per stream as documents of a Cosmos container the consumer owns (partition key
 * `/id`), so that a restarted consumer skips what it had handled. A version only ever moves forward: a write is
 * guarded by the document's ETag and dropped when the stored version is already as new, so two consumers that
 * overlap during a rebalance cannot move a stream's memory back.
 */
export function cosmosLastSeenVersions(
  container: Container,
  options: CosmosLastSeenVersionsOptions = {},
): LastSeenVersions {
  const maxCached = options.maxCached ?? 100_000;
  const prefix = options.prefix === undefined ? '' : `${options.prefix}|`;
  const cache = new Map<string, { version: bigint; etag: string | undefined }>();
  // Cosmos ids may not hold '/', '\\', '?' or '#': stream names might.
  const idOf = (key: string) => encodeURIComponent(`${prefix}${key}`);

  function remember(key: string, version: bigint, etag: string | undefined) {
    cache.delete(key);
    cache.set(key, { version, etag });
    if (cache.size > maxCached) cache.delete(cache.keys().next().value as string);
  }

  async function read(key: string): Promise<{ version: bigint; etag: string | undefined } | undefined> {
    const id = idOf(key);
    const response = await container.item(id, id).read<VersionDocument>();
    if (response.statusCode === 404 || response.resource === undefined) return undefined;
    const found = { version: BigInt(response.resource.version), etag: response.etag };
    remember(key, found.version, found.etag);
    return found;
  }

  return {
    async get(key) {
      return (cache.get(key) ?? (await read(key)))?.version;
    },
    async set(key, version) {
      const id = idOf(key);
      const document: VersionDocument = { id, key, version: version.toString(), updatedAt: new Date().toISOString() };
      for (let attempt = 0; attempt < 5; attempt++) {
        const known = cache.get(key) ?? (await read(key));
        if (known !== undefined && known.version >= version) return;
        try {
          const response =
            known === undefined
              ? await container.items.create(document)
              : await container
                  .item(id, id)
                  .replace(document, { accessCondition: { type: 'IfMatch', condition: known.etag ?? '' } });
          remember(key, version, response.etag);
          return;
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (code !== 409 && code !== 412) throw error;
          cache.delete(key);
        }
      }
    },
  };
}
