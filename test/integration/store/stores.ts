import type { TimelineEvent } from '../../../src/core/index.ts';
import { createCosmosStore } from '../../../src/store/index.ts';
import { createMemoryStore, type MemoryStore } from '../../../src/testing/index.ts';
import type { TestCosmos } from '../../support/cosmos.ts';
import { freshEvents } from './ledger.ts';

/** What the store-agnostic suites need of a store: its categories and its stored events. */
export interface StoreUnderTest {
  readonly category: MemoryStore['category'];
  readStream(stream: string): Promise<TimelineEvent[]>;
}

/** A way to get a fresh, empty store; `tipMaxEvents` makes the Cosmos DB store calve early (the memory store never calves). */
export interface StoreFactory {
  readonly name: string;
  create(options?: { readonly tipMaxEvents?: number }): Promise<StoreUnderTest>;
}

/**
 * The stores that the transact suites run against: Cosmos DB (the test endpoint, a fresh database each time) and the
 * memory store of the `/testing` facet. Use with `describe.each(storeFactories(cosmos))('… ($name)', …)`.
 */
export function storeFactories(cosmos: TestCosmos): StoreFactory[] {
  return [
    {
      name: 'Cosmos DB',
      async create(options = {}) {
        const { databaseId } = await freshEvents(cosmos);
        const tip = options.tipMaxEvents === undefined ? {} : { tip: { maxEvents: options.tipMaxEvents } };
        return createCosmosStore({ client: cosmos.client, databaseId, ...tip });
      },
    },
    { name: 'memory', create: async () => createMemoryStore() },
  ];
}
