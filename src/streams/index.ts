export { cosmosDeadLetters } from './cosmos-dead-letters.ts';
export { createStreamScheduler } from './create-stream-scheduler.ts';
export {
  createInMemoryDeadLetters,
  DeadLetter,
  type DeadLetterEvent,
  type DeadLetterStore,
  type MalformedDocumentRecord,
} from './dead-letter-store.ts';
export { claimsToHoldEvents } from './document-kind.ts';
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
} from './errors.ts';
export type { DocumentReader } from './event-documents.ts';
export type { HandlerOutcome, StreamHandler } from './handler.ts';
export type { StreamSchedulerOptions } from './options.ts';
export {
  type ChangeFeedHandler,
  type HandlerRun,
  type HandlerRunStats,
  type RunOptions,
  runHandler,
} from './run-processor.ts';
export type { StreamScheduler } from './scheduler.ts';
export type { SchedulerStats, StreamAttention } from './stats.ts';
export { StreamSpan } from './stream-span.ts';
export type { StreamProgress } from './waiters.ts';
