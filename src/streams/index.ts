import { spanFromDocument } from '../store/index.ts';
import type { StreamSchedulerOptions } from './options.ts';
import { createScheduler, type StreamScheduler } from './scheduler.ts';

export { cosmosDeadLetters } from './cosmos-dead-letters.ts';
export {
  createInMemoryDeadLetters,
  DeadLetter,
  type DeadLetterEvent,
  type DeadLetterStore,
  type MalformedDocumentRecord,
} from './dead-letter-store.ts';
export { HandlerKeptWaiting, HandlerMadeNoProgress, ReplayFailed, SchedulerClosed, StreamNotParked } from './errors.ts';
export type { HandlerOutcome, StreamHandler } from './handler.ts';
export type { StreamSchedulerOptions } from './options.ts';
export type { DocumentReader, StreamScheduler } from './scheduler.ts';
export type { SchedulerStats, StreamAttention } from './stats.ts';
export { StreamSpan } from './stream-span.ts';

/**
 * The stream scheduler: give it to a change-feed processor as its sink. It reads tip and batch documents into
 * per-stream spans, drops what was already handled, and calls `handle` in version order per stream, several streams
 * at a time.
 */
export function createStreamScheduler(options: StreamSchedulerOptions): StreamScheduler {
  return createScheduler(options, spanFromDocument);
}
