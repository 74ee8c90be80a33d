import type { Container } from '@azure/cosmos';
import { type ChangeFeedProcessor, createChangeFeedProcessor, type ProcessorOptions } from '../feed/index.ts';
import {
  createStreamScheduler,
  type StreamHandler,
  type StreamScheduler,
  type StreamSchedulerOptions,
} from '../streams/index.ts';

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

export interface RunningHandler {
  readonly processor: ChangeFeedProcessor;
  readonly scheduler: StreamScheduler;
  /** stops reading, waits for pages in flight, writes checkpoints, releases leases */
  stop(): Promise<void>;
}

/**
 * Runs a handler over the change feed of the events container: a stream scheduler (ordered per stream, retried,
 * parked when configured) as the sink of a change-feed processor named after the handler. Run the same handler in
 * several processes to share the feed ranges between them.
 */
export async function runHandler(handler: RunnableHandler, options: RunOptions): Promise<RunningHandler> {
  const scheduler = createStreamScheduler({
    ...options.scheduler,
    name: handler.processorName,
    handle: handler.handle,
    ...(options.parking
      ? { parking: { deadLetters: options.parking.deadLetters, afterAttempts: options.parking.afterAttempts ?? 5 } }
      : {}),
  });
  const processor = createChangeFeedProcessor({
    ...options.processor,
    name: handler.processorName,
    monitored: options.events,
    leases: options.leases,
    sink: scheduler,
  });
  await processor.start();
  return {
    processor,
    scheduler,
    async stop() {
      await processor.stop();
      scheduler.close();
    },
  };
}
