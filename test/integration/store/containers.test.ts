import { randomUUID } from 'node:crypto';
import { CosmosClient } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { ContainerNames, ensureContainers } from '../../../src/store/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';

const cosmos = useTestCosmos();

/** A client of its own, as each process starting at once would have (no shared SDK caches). */
function processClient(): CosmosClient {
  return new CosmosClient({
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    ...(cosmos.local ? { connectionPolicy: { enableEndpointDiscovery: false } } : {}),
  });
}

describe('ensureContainers', () => {
  it('creates a new database and its containers once when several processes start at the same moment', async () => {
    const databaseId = `first-start-${randomUUID().slice(0, 8)}`;
    const clients = Array.from({ length: 8 }, processClient);
    try {
      const outcomes = await Promise.allSettled(clients.map((client) => ensureContainers(client, { databaseId })));
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
      expect(failures).toEqual([]);
      const { resources } = await cosmos.client.database(databaseId).containers.readAll().fetchAll();
      expect(resources.map((container) => container.id).sort()).toEqual(Object.values(ContainerNames).sort());
      const events = resources.find((container) => container.id === ContainerNames.events);
      expect(events?.partitionKey?.paths).toEqual(['/p']);
    } finally {
      for (const client of clients) client.dispose();
      await cosmos.client.database(databaseId).delete();
    }
  });

  it('leaves an existing database and containers as they are', async () => {
    const databaseId = `again-${randomUUID().slice(0, 8)}`;
    try {
      await ensureContainers(cosmos.client, { databaseId });
      await ensureContainers(cosmos.client, { databaseId, deadLetters: false });
      const { resources } = await cosmos.client.database(databaseId).containers.readAll().fetchAll();
      expect(resources).toHaveLength(4);
    } finally {
      await cosmos.client.database(databaseId).delete();
    }
  });
});
