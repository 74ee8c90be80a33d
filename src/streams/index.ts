export { cosmosDeadLetters } from './cosmos-dead-letters.ts';
export { createStreamScheduler } from './create-stream-scheduler.ts';
export {
  createInMemoryDeadLetters,
  DeadLetter,
  type DeadLetterEvent,
  type DeadLetterStore,
} from './dead-letter-store.ts';
export { claimsToHoldEvents } from './document-kind.ts';
export { DeadLetterTooLarge, isPermanentFailure, SchedulerClosed } from './errors.ts';
export type { HandlerOutcome, StreamHandler } from './handler.ts';
export type { StreamSchedulerOptions } from './options.ts';
export { type ChangeFeedHandler, type HandlerRun, type RunOptions, runHandler } from './run-processor.ts';
export type { StreamScheduler } from './scheduler.ts';
export type { SchedulerStats } from './stats.ts';
export { StreamSpan } from './stream-span.ts';
