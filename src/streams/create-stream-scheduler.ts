import { spanFromDocument } from '../store/index.ts';
import { eventDocuments } from './event-documents.ts';
import type { StreamSchedulerOptions } from './options.ts';
import { createScheduler, type StreamScheduler } from './scheduler.ts';

/**
 * The stream scheduler: give it to a change-feed processor as its sink. It reads tip and batch documents into
 * per-stream spans, drops what was already handled, and calls `handle` in version order per stream, several streams
 * at a time.
 * @throws InvalidSchedulerOptions if the options break their schema
 */
export function createStreamScheduler(options: StreamSchedulerOptions): StreamScheduler {
  return createScheduler(options, eventDocuments(spanFromDocument));
}
