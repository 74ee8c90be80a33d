import { afterAll, beforeAll } from 'vitest';
import { startTestCosmos, type TestCosmos } from './cosmos.ts';

/**
 * One Cosmos endpoint for the whole test file: started before its first test and closed after its last one. Call it
 * at the top of the file; the returned value may be used only inside hooks and tests (registered after this call, so
 * a file's own `beforeAll` runs once the endpoint is up and its `afterAll` before it is closed).
 */
export function useTestCosmos(options: { partitions?: number } = {}): TestCosmos {
  let started: TestCosmos | undefined;
  beforeAll(async () => {
    started = await startTestCosmos(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): TestCosmos => {
    if (!started) throw new Error('The test Cosmos endpoint is used outside a hook or test, or failed to start.');
    return started;
  };
  return {
    get client() {
      return current().client;
    },
    get endpoint() {
      return current().endpoint;
    },
    get key() {
      return current().key;
    },
    get local() {
      return current().local;
    },
    database: (name) => current().database(name),
    close: () => current().close(),
  };
}
