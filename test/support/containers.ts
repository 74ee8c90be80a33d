import type { Container, Database } from '@azure/cosmos';
import type { TestCosmos } from './cosmos.ts';

/** A fresh database named after `name` holding one `events` container partitioned by `/p`, as the store lays it out. */
export async function freshEventsContainer(
  cosmos: TestCosmos,
  name: string,
): Promise<{ database: Database; container: Container }> {
  const database = await cosmos.database(name);
  const { container } = await database.containers.create({ id: 'events', partitionKey: { paths: ['/p'] } });
  return { database, container };
}

/** A new, randomly named container partitioned by `/p` in the database `databaseId`, for a test that wants its own. */
export async function freshContainer(cosmos: TestCosmos, databaseId: string): Promise<Container> {
  const id = `c${Math.random().toString(36).slice(2, 8)}`;
  const { container } = await cosmos.client
    .database(databaseId)
    .containers.create({ id, partitionKey: { paths: ['/p'] } });
  return container;
}
