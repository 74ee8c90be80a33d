import { spanFromDocument } from '../store/index.ts';
import type { StreamSchedulerOptions } from './options.ts';
import { createScheduler, type StreamScheduler } from './scheduler.ts';

/**
 * The stream scheduler: give it to a change-feed processor as its sink. It reads tip and batch documents into
 * per-stream spans, drops what was already handled, and calls `handle` in version order per stream, several streams
 * at a time.
 */
export function createStreamScheduler(options: StreamSchedulerOptions): StreamScheduler {
  return createScheduler(options, spanFromDocument);
}
