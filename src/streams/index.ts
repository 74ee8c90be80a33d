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
  isPermanentFailure,
  type PermanentFailure,
  ReplayFailed,
  SchedulerClosed,
  StreamNotParked,
} from './errors.ts';
export type { HandlerOutcome, StreamHandler } from './handler.ts';
export type { StreamSchedulerOptions } from './options.ts';
export { type ProcessorRun, type RunProcessorOptions, runProcessor } from './run-processor.ts';
export type { DocumentReader, StreamScheduler } from './scheduler.ts';
export type { SchedulerStats, StreamAttention } from './stats.ts';
export { StreamSpan } from './stream-span.ts';
