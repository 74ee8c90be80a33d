import type { Container, PartitionKey } from '@azure/cosmos';
import { DeadLetter, type DeadLetterStore } from './dead-letter-store.ts';

/**
 * Dead letters as documents of the `dead-letters` container, one per scheduler and stream. The container's partition
 * key path is read once from its definition, so the documents fit whichever key the container was created with
 * (`/id` by default; `/stream` or `/processor` work as well).
 */
export function cosmosDeadLetters(container: Container): DeadLetterStore {
  let keyPath: Promise<string> | undefined;
  const partitionKeyPath = () => {
    keyPath ??= container.read().then(({ resource }) => resource?.partitionKey?.paths?.[0] ?? '/id');
    keyPath.catch(() => {
      keyPath = undefined;
    });
    return keyPath;
  };
  const keyOf = async (letter: Pick<DeadLetter, 'id' | 'stream' | 'processor'>): Promise<PartitionKey> => {
    const field = (await partitionKeyPath()).slice(1);
    if (field === 'stream') return letter.stream;
    if (field === 'processor') return letter.processor;
    return letter.id;
  };
  return {
    async put(letter) {
      await container.items.upsert({ ...letter });
    },
    async list(processor) {
      const { resources } = await container.items
        .query<DeadLetter>({
          query: 'SELECT * FROM c WHERE c.processor = @processor',
          parameters: [{ name: '@processor', value: processor }],
        })
        .fetchAll();
      return resources.map((document) => withoutSystemFields(document as DeadLetter & Record<string, unknown>));
    },
    async remove(processor, stream) {
      const id = DeadLetter.id(processor, stream);
      try {
        await container.item(id, await keyOf({ id, stream, processor })).delete();
      } catch (error) {
        if ((error as { code?: unknown }).code !== 404) throw error;
      }
    },
  };
}

/** drops Cosmos's system properties (`_rid`, `_etag`, `_ts`, `_lsn`, …) */
function withoutSystemFields(document: DeadLetter & Record<string, unknown>): DeadLetter {
  return Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_'))) as unknown as DeadLetter;
}
