export { decideLeases, type LeaseDecision, type LeaseView } from './balancing.ts';
export {
  type Checkpoint,
  deleteProcessor,
  type FeedPosition,
  listCheckpoints,
  type ProcessorLeases,
  resetCheckpoints,
  rewindCheckpoints,
} from './checkpoints.ts';
export { EpkRange } from './epk-range.ts';
export {
  InvalidProcessorOptions,
  LeaseContended,
  LeaseCreateFailed,
  LeaseLost,
  NoFeedRanges,
  NowUnresolved,
  ProcessorAlreadyStarted,
} from './errors.ts';
export { estimateLag, type LagOptions, type RangeLag } from './lag.ts';
export { Lease, type LeaseDocument, type StartMarker } from './lease.ts';
export type { LeaseTimings, ProcessorOptions } from './options.ts';
export {
  behindMsOf,
  countPendingChanges,
  estimatePendingChanges,
  newestLsnOf,
  type PendingChanges,
} from './pending-changes.ts';
export { createChangeFeedProcessor } from './processor.ts';
export type { ChangeFeedProcessor, OwnedLeaseStats, ProcessorStats } from './processor-stats.ts';
export type { FeedPage, FeedSink, RangeStart } from './sink.ts';
export type { StartFrom } from './start-position.ts';
