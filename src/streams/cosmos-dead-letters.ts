import type { Container, PartitionKey } from '@azure/cosmos';
import {
  type DeadLetterHead,
  type DeadLetterPart,
  isDeadLetterPart,
  joinDeadLetter,
  splitDeadLetter,
} from './dead-letter-parts.ts';
import { DeadLetter, type DeadLetterStore } from './dead-letter-store.ts';

/** Options of `cosmosDeadLetters`. */
export interface CosmosDeadLettersOptions {
  /**
   * The most JSON one document of a dead letter holds; a bigger letter is stored as a head and parts (see
   * `dead-letter-parts.ts`). Default 1,500,000 bytes, well inside Cosmos DB's 2 MB per document.
   */
  readonly maxDocumentBytes?: number;
}

const defaultMaxDocumentBytes = 1_500_000;

/**
 * Dead letters as documents of the `dead-letters` container, one per scheduler and stream, plus part documents for a
 * letter too big for one. The container's partition key path is read once from its definition, so the documents fit
 * whichever key the container was created with (`/id` by default; `/stream` or `/processor` work as well).
 */
export function cosmosDeadLetters(container: Container, options: CosmosDeadLettersOptions = {}): DeadLetterStore {
  const budget = options.maxDocumentBytes ?? defaultMaxDocumentBytes;
  let keyPath: Promise<string> | undefined;
  const partitionKeyPath = () => {
    keyPath ??= container.read().then(({ resource }) => resource?.partitionKey?.paths?.[0] ?? '/id');
    keyPath.catch(() => {
      keyPath = undefined;
    });
    return keyPath;
  };
  const keyOf = async (document: { id: string; stream: string; processor: string }): Promise<PartitionKey> => {
    const field = (await partitionKeyPath()).slice(1);
    if (field === 'stream') return document.stream;
    if (field === 'processor') return document.processor;
    return document.id;
  };
  const deleteDocument = async (document: { id: string; stream: string; processor: string }) => {
    try {
      await container.item(document.id, await keyOf(document)).delete();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 404) throw error;
    }
  };
  const partsOf = async (letterId: string): Promise<DeadLetterPart[]> => {
    const { resources } = await container.items
      .query<DeadLetterPart>({
        query: 'SELECT * FROM c WHERE c.of = @of',
        parameters: [{ name: '@of', value: letterId }],
      })
      .fetchAll();
    return resources;
  };

  return {
    async put(letter) {
      const { head, parts } = splitDeadLetter(letter, budget);
      // Parts first: until the head says how many there are, a reader joins what the old head names.
      for (const part of parts) await container.items.upsert({ ...part });
      await container.items.upsert({ ...head });
    },
    async list(processor) {
      const { resources } = await container.items
        .query<DeadLetterHead | DeadLetterPart>({
          query: 'SELECT * FROM c WHERE c.processor = @processor',
          parameters: [{ name: '@processor', value: processor }],
        })
        .fetchAll();
      const heads: DeadLetterHead[] = [];
      const parts = new Map<string, DeadLetterPart[]>();
      for (const document of resources) {
        if (isDeadLetterPart(document)) {
          const ofLetter = parts.get(document.of);
          if (ofLetter === undefined) parts.set(document.of, [document]);
          else ofLetter.push(document);
        } else heads.push(withoutSystemFields(document as DeadLetterHead & Record<string, unknown>));
      }
      return heads.map((head) => joinDeadLetter(head, parts.get(head.id) ?? []));
    },
    async remove(processor, stream) {
      const id = DeadLetter.id(processor, stream);
      // The head first: once it is gone the letter is, and parts left behind by a crash here are never joined to
      // a later letter of the stream (they carry another `parkedAt`); the next removal deletes them.
      await deleteDocument({ id, stream, processor });
      for (const part of await partsOf(id)) await deleteDocument(part);
    },
  };
}

/** drops Cosmos's system properties (`_rid`, `_etag`, `_ts`, `_lsn`, …) */
function withoutSystemFields<T extends object>(document: T & Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_'))) as unknown as T;
}
