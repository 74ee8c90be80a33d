import type { Container, PartitionKey } from '@azure/cosmos';
import { ViewPartitionKeyMissing } from './errors.ts';

/**
 * The partition key value of a document in `container`, whatever top-level path the container was created with
 * (`/id` by default for views; `/set` or `/projection` also work). The path is read once from the container.
 */
export function partitionKeys(container: Container): (document: Record<string, unknown>) => Promise<PartitionKey> {
  let path: Promise<string> | undefined;
  const keyPath = () => {
    path ??= container.read().then(({ resource }) => resource?.partitionKey?.paths?.[0] ?? '/id');
    path.catch(() => {
      path = undefined;
    });
    return path;
  };
  return async (document) => {
    const field = (await keyPath()).slice(1);
    const value = document[field];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    throw new ViewPartitionKeyMissing(container.id, `/${field}`);
  };
}

export function isCosmosStatus(error: unknown, ...codes: number[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && codes.includes(code);
}
