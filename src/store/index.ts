export { AccessStrategy, type Transmuted } from './access.ts';
export { CosmosAccessDenied, checkCosmosAccess, dataContributorRole, EntraSignInUnavailable } from './access-check.ts';
export { defaultWriteLimits, type WriteLimits } from './append.ts';
export {
  type AsOf,
  type AsOfModel,
  type AsOfOrigin,
  loadStateAsOf,
  type StateAsOf,
  VersionBeyondStream,
} from './as-of.ts';
export { AppendUnavailable, type BatchRetry, isTransientOperationStatus } from './batch-retry.ts';
export { type AppendPlan, defaultTipLimits, planAppend, type TipLimits, type TipPosition } from './calving.ts';
export type {
  Category,
  CategoryOptions,
  DecisionContext,
  Loaded,
  StoredEvent,
  TransactOptions,
  TransactOutcome,
} from './category.ts';
export {
  type CosmosConnectionOptions,
  createCosmosClient,
  defaultAzureCredential,
  isLocalEndpoint,
} from './client.ts';
export { CommandIdExpired, CommandIdReused, commandFingerprint } from './commands.ts';
export {
  ContainerNames,
  type EnsureContainersOptions,
  ensureContainers,
  eventsIndexingPolicy,
  type TributaryContainers,
  tributaryContainers,
} from './containers.ts';
export {
  type CosmosStore,
  type CosmosStoreOptions,
  createCosmosStore,
  type StreamDump,
  type StreamSummary,
} from './cosmos-store.ts';
export {
  type BatchDocument,
  type EventDocument,
  isTip,
  type TipDocument,
  tipId,
  type UnfoldDocument,
} from './documents.ts';
export {
  AppendRejected,
  AppendTooLarge,
  EventTooLarge,
  MalformedDocument,
  MaxResyncsExhausted,
  MissingEvents,
  StaleExpectedVersion,
  WrongExpectedVersion,
} from './errors.ts';
export { LoadOption } from './load-option.ts';
export { defaultPageSize, type Paging, type ReadRange } from './reading.ts';
export { InvalidStoreOptions } from './settings.ts';
export { eventsOf, spanFromDocument } from './span.ts';
