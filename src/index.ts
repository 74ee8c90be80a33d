// The framework: streams, codecs, deciders, the Cosmos DB event store, the change-feed processor, the stream
// scheduler, projections and reactors. Tools and optional integrations have their own subpaths: `/summaries` (Kafka,
// Event Hubs), `/azure-functions`, `/testing`, `/emulator` and `/dev`.

export {
  type AnyEvent,
  type Codec,
  type CodecOptions,
  type DomainEvent,
  defineCodec,
  type EventOf,
  type EventSchemas,
  type IgnoredUnfold,
  type SkippedEvent,
  type UnknownTypePolicy,
  type Upcaster,
  upcaster,
} from './codec/codec.ts';
export { UnsupportedBodyEncoding } from './codec/encoding.ts';
export { InvalidEvent, UndecodableEvent, UnknownEventType, UnstorableEvent } from './codec/errors.ts';
export { TributaryError } from './core/errors.ts';
export { InvalidOptions } from './core/options.ts';
export { InvalidStreamName, StreamName } from './core/stream-name.ts';
export type { TimelineEvent } from './core/timeline-event.ts';

export {
  type Decider,
  defineDecider,
  defineResultDecider,
  type Fold,
  fold,
  type ResultDecider,
} from './decider/decider.ts';
export {
  type Checkpoint,
  deleteProcessor,
  type FeedPosition,
  listCheckpoints,
  type ProcessorLeases,
  resetCheckpoints,
  rewindCheckpoints,
} from './feed/checkpoints.ts';
export {
  InvalidProcessorOptions,
  LeaseContended,
  LeaseCreateFailed,
  LeaseLost,
  NoFeedRanges,
  NowUnresolved,
  ProcessorAlreadyStarted,
} from './feed/errors.ts';
export { estimateLag, type LagOptions, type RangeLag } from './feed/lag.ts';
export type { LeaseTimings, ProcessorOptions } from './feed/options.ts';
export { createChangeFeedProcessor } from './feed/processor.ts';
export type { ChangeFeedProcessor, OwnedLeaseStats, ProcessorStats } from './feed/processor-stats.ts';
export type { FeedPage, FeedSink, RangeStart } from './feed/sink.ts';
export type { StartFrom } from './feed/start-position.ts';
export { createRouter, defaultRoutePrefix, matchRoute } from './http/router.ts';
export type { HttpAnswer, HttpCall, HttpRequest, HttpRoute } from './http/types.ts';
export {
  type ActiveVersionDocument,
  type ActiveVersionPointer,
  activeVersionPointer,
} from './projections/active-version.ts';
export type { ProjectionDefinition } from './projections/definition.ts';
export {
  FeedHeadUnknown,
  InvalidProjection,
  UnstorableView,
  ViewPartitionKeyMissing,
  ViewRejected,
  ViewTooLarge,
  ViewWriteConflicts,
} from './projections/errors.ts';
export { createProjection, type Projection, type ViewQuery } from './projections/projection.ts';
export {
  type ProjectionProgress,
  type ProjectionRunOptions,
  type RunningProjection,
  runProjection,
} from './projections/runner.ts';
export type { ViewDocument } from './projections/view-document.ts';
export { InvalidReactor } from './reactors/errors.ts';
export { handledUpTo, notYet } from './reactors/outcome.ts';
export { createReactor, type Reactor, type ReactorContext, type ReactorDefinition } from './reactors/reactor.ts';

export { AccessStrategy, type Transmuted } from './store/access.ts';
export {
  CosmosAccessDenied,
  checkCosmosAccess,
  dataContributorRole,
  EntraSignInUnavailable,
} from './store/access-check.ts';
export type { WriteLimits } from './store/append.ts';
export { type AsOf, type AsOfOrigin, type StateAsOf, VersionBeyondStream } from './store/as-of.ts';
export { AppendUnavailable } from './store/batch-retry.ts';
export { defaultTipLimits, type TipLimits } from './store/calving.ts';
export type {
  Category,
  CategoryOptions,
  DecisionContext,
  Loaded,
  StoredEvent,
  TransactOptions,
  TransactOutcome,
} from './store/category.ts';
export {
  type CosmosConnectionOptions,
  createCosmosClient,
  defaultAzureCredential,
  isLocalEndpoint,
} from './store/client.ts';
export { CommandIdExpired, CommandIdReused, commandFingerprint } from './store/commands.ts';
export {
  ContainerNames,
  type EnsureContainersOptions,
  ensureContainers,
  eventsIndexingPolicy,
  type TributaryContainers,
  tributaryContainers,
} from './store/containers.ts';
export {
  type CosmosStore,
  type CosmosStoreOptions,
  createCosmosStore,
  type StreamDump,
  type StreamSummary,
} from './store/cosmos-store.ts';
export type { BatchDocument, EventDocument, TipDocument, UnfoldDocument } from './store/documents.ts';
export {
  AppendRejected,
  AppendTooLarge,
  EventTooLarge,
  MalformedDocument,
  MaxResyncsExhausted,
  MissingEvents,
  StaleExpectedVersion,
  WrongExpectedVersion,
} from './store/errors.ts';
export { LoadOption } from './store/load-option.ts';
export type { Paging, ReadRange } from './store/reading.ts';
export { InvalidStoreOptions } from './store/settings.ts';
export { cosmosDeadLetters } from './streams/cosmos-dead-letters.ts';
export { createStreamScheduler } from './streams/create-stream-scheduler.ts';
export {
  DeadLetter,
  type DeadLetterEvent,
  type DeadLetterStore,
  type MalformedDocumentRecord,
} from './streams/dead-letter-store.ts';
export {
  DeadLetterTooLarge,
  HandlerKeptWaiting,
  HandlerMadeNoProgress,
  InvalidSchedulerOptions,
  isPermanentFailure,
  type PermanentFailure,
  ReplayFailed,
  SchedulerClosed,
  StreamNotParked,
} from './streams/errors.ts';
export type { HandlerOutcome, StreamHandler } from './streams/handler.ts';
export type { StreamSchedulerOptions } from './streams/options.ts';
export {
  type ChangeFeedHandler,
  type HandlerRun,
  type HandlerRunStats,
  type RunnableHandler,
  type RunningHandler,
  type RunOptions,
  runHandler,
} from './streams/run-processor.ts';
export type { StreamScheduler } from './streams/scheduler.ts';
export type { SchedulerStats, StreamAttention } from './streams/stats.ts';
export { StreamSpan } from './streams/stream-span.ts';
