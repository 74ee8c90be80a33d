import type { Container } from '@azure/cosmos';
import type { ProcessorOptions } from '../feed/index.ts';
import { type ProcessorRun, runProcessor, type StreamHandler, type StreamSchedulerOptions } from '../streams/index.ts';

/** Anything the runner can drive: a reactor, a projection, a summary reactor. */
export interface RunnableHandler {
  readonly processorName: string;
  readonly handle: StreamHandler;
}

export interface RunOptions {
  /** the events container (the store's `container`) */
  readonly events: Container;
  readonly leases: Container;
  /** with a dead-letters container, a stream that keeps failing is parked there and the checkpoint moves on */
  readonly parking?: { readonly deadLetters: Container; readonly afterAttempts?: number };
  /** processor settings (lease timings, poll interval, start position, …) */
  readonly processor?: Omit<ProcessorOptions, 'name' | 'monitored' | 'leases' | 'sink'>;
  /** scheduler settings (concurrency, retry backoff, notYet bounds, …) */
  readonly scheduler?: Omit<StreamSchedulerOptions, 'name' | 'handle' | 'parking'>;
}

/** The running processor and scheduler; `stop()` stops reading, waits for pages in flight, writes checkpoints, releases leases. */
export type RunningHandler = ProcessorRun;

/**
 * Runs a handler over the change feed of the events container: a stream scheduler (ordered per stream, retried,
 * parked when configured; 5 attempts unless `afterAttempts` says otherwise) as the sink of a change-feed processor
 * named after the handler. Run the same handler in several processes to share the feed ranges between them.
 */
export function runHandler(handler: RunnableHandler, options: RunOptions): Promise<RunningHandler> {
  return runProcessor({
    ...options.processor,
    ...options.scheduler,
    name: handler.processorName,
    monitored: options.events,
    leases: options.leases,
    handle: handler.handle,
    parking: options.parking,
  });
}
