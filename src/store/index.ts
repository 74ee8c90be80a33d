export { AccessStrategy } from './access.ts';
export type { AsOf, StateAsOf } from './as-of.ts';
export { planAppend, type TipPosition } from './calving.ts';
export type { Category } from './category.ts';
export { createCosmosClient, defaultAzureCredential, isLocalEndpoint } from './client.ts';
export { CommandIdExpired, CommandIdReused, commandFingerprint } from './commands.ts';
export {
  ContainerNames,
  ensureContainers,
  eventsIndexingPolicy,
  type TributaryContainers,
  tributaryContainers,
} from './containers.ts';
export { type CosmosStore, createCosmosStore } from './cosmos-store.ts';
export { type BatchDocument, type EventDocument, type TipDocument, tipId, type UnfoldDocument } from './documents.ts';
export {
  AppendRejected,
  AppendTooLarge,
  EventTooLarge,
  MalformedDocument,
  MaxResyncsExhausted,
  MissingEvents,
  StaleExpectedVersion,
} from './errors.ts';
export { LoadOption } from './load-option.ts';
export { InvalidStoreOptions } from './settings.ts';
export { eventsOf, spanFromDocument } from './span.ts';
