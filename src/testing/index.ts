export { DeciderSpecification, type Then } from '../decider/testing.ts';
export { type LocalTokenCredentialOptions, localTokenCredential } from '../emulator/local-token-credential.ts';
export { createInMemoryDeadLetters } from '../streams/dead-letter-store.ts';
export { AzuriteUnavailable, startTestAzurite, type TestAzurite } from './azurite.ts';
export {
  type KafkaMockCluster,
  KafkaMockUnavailable,
  kafkaMockAvailable,
  startKafkaMockCluster,
} from './kafka-mock.ts';
export { startTestCosmos, type TestCosmos, type TestCosmosOptions } from './local-cosmos.ts';
export {
  createMemoryStore,
  type MemoryStore,
  type MemoryStoreOptions,
  type MemoryStreamSummary,
} from './memory-store.ts';
export { waitUntilFailed, waitUntilHandled, waitUntilIdle } from './waiters.ts';
