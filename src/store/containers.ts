import type { Container, ContainerDefinition, CosmosClient, Database, IndexingPolicy } from '@azure/cosmos';

export const ContainerNames = {
  events: 'events',
  leases: 'leases',
  views: 'views',
  deadLetters: 'dead-letters',
} as const;

/** Tributary's four containers in one database. */
export interface TributaryContainers {
  readonly events: Container;
  readonly leases: Container;
  readonly views: Container;
  readonly deadLetters: Container;
}

/** The four containers of `database` under their default names (no request is sent). */
export function tributaryContainers(database: Database): TributaryContainers {
  return {
    events: database.container(ContainerNames.events),
    leases: database.container(ContainerNames.leases),
    views: database.container(ContainerNames.views),
    deadLetters: database.container(ContainerNames.deadLetters),
  };
}

/**
 * The events container indexes only what the store queries: `i` (backward loads and range reads order and filter
 * by it), `n` (range reads) and `p` (listing a category's streams, cross-partition). `id` and `_ts` are always
 * indexed by Cosmos DB. Event bodies are never indexed: that keeps every append's RU charge low.
 */
export const eventsIndexingPolicy: IndexingPolicy = {
  indexingMode: 'consistent',
  automatic: true,
  includedPaths: [{ path: '/i/?' }, { path: '/n/?' }, { path: '/p/?' }],
  excludedPaths: [{ path: '/*' }],
};

/**
 * Leases, views and dead letters keep Cosmos DB's default (everything indexed): leases are a handful of small
 * documents per processor, and applications query views freely.
 */
const defaultIndexingPolicy: IndexingPolicy = { indexingMode: 'consistent', automatic: true };

export interface EnsureContainersOptions {
  readonly databaseId: string;
  /** container names; `false` skips a container */
  readonly events?: string | false;
  readonly leases?: string | false;
  readonly views?: string | false;
  readonly deadLetters?: string | false;
}

function definitions(options: EnsureContainersOptions): ContainerDefinition[] {
  const wanted: [string | false | undefined, string, string, IndexingPolicy][] = [
    [options.events, ContainerNames.events, '/p', eventsIndexingPolicy],
    [options.leases, ContainerNames.leases, '/id', defaultIndexingPolicy],
    [options.views, ContainerNames.views, '/id', defaultIndexingPolicy],
    [options.deadLetters, ContainerNames.deadLetters, '/id', defaultIndexingPolicy],
  ];
  return wanted
    .filter(([name]) => name !== false)
    .map(([name, fallback, key, indexingPolicy]) => ({
      id: name || fallback,
      partitionKey: { paths: [key], version: 2 },
      indexingPolicy,
    }));
}

const isConflict = (error: unknown) => (error as { code?: unknown } | null)?.code === 409;

/**
 * Runs `create`, taking a 409 as success: the resource was created by another process between this one's check and
 * its create. The SDK's `createIfNotExists` reads first and then creates, so concurrent first starts race there.
 */
async function createUnlessCreated(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

/**
 * Creates the database and Tributary's containers if they do not exist: events (partition key `/p`, the stream),
 * leases (`/id`), views (`/id`, the view's id) and dead letters (`/id`). Existing containers are left as they are.
 * Safe to call from several processes at once on a database that does not exist yet.
 */
export async function ensureContainers(client: CosmosClient, options: EnsureContainersOptions): Promise<void> {
  await createUnlessCreated(() => client.databases.createIfNotExists({ id: options.databaseId }));
  const database: Database = client.database(options.databaseId);
  for (const definition of definitions(options)) {
    await createUnlessCreated(() => database.containers.createIfNotExists(definition));
  }
}
