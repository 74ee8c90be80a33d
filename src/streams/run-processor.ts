import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { parseOptions } from '../core/index.ts';
import {
  type ChangeFeedProcessor,
  createChangeFeedProcessor,
  type FeedSink,
  type ProcessorOptions,
  type ProcessorStats,
} from '../feed/index.ts';
import { createStreamScheduler } from './create-stream-scheduler.ts';
import type { DeadLetterStore } from './dead-letter-store.ts';
import type { StreamHandler } from './handler.ts';
import type { StreamSchedulerOptions } from './options.ts';
import type { SchedulerStats } from './stats.ts';
import type { StreamScheduler } from './stream-scheduler.ts';

/**
 * What runs on the change feed: a projection, a reactor, a summary reactor, an archiver — each is one of these, and
 * `runHandler` runs any of them.
 */
export interface ChangeFeedHandler {
  /** what the handler is called in tools and messages, e.g. a projection's or reactor's own name */
  readonly name: string;
  /** the processor it runs under: its leases, checkpoints and dead letters are filed under this name */
  readonly processorName: string;
  /** handles one stream's span; never concurrently for a stream, always in version order */
  readonly handle: StreamHandler;
}

/** @deprecated the earlier name of {@link ChangeFeedHandler} */
export type RunnableHandler = ChangeFeedHandler;

const object = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'object' && value !== null, `must be ${what}`);

const runOptionsSchema = z.strictObject({
  /** the events container (the store's `container`): the change feed that is read */
  events: object<Container>('a Container'),
  /** the leases container: one lease per feed range, holding the checkpoint */
  leases: object<Container>('a Container'),
  /**
   * With dead letters, a stream that keeps failing (5 attempts unless `afterAttempts` says otherwise) is parked
   * there and the checkpoint moves on; without, it is retried until it succeeds.
   */
  parking: z
    .strictObject({
      deadLetters: object<Container | DeadLetterStore>('a Container or a DeadLetterStore'),
      afterAttempts: z.number().int().positive().optional(),
    })
    .optional(),
  /** processor settings: lease timings, poll interval, start position, instance id, `onError`, … */
  processor: object<Omit<ProcessorOptions, 'name' | 'monitored' | 'leases' | 'sink'>>('an object').optional(),
  /** scheduler settings: concurrency, span size, retry backoff, `notYet` bounds, stall and gap timings, … */
  scheduler: object<Omit<StreamSchedulerOptions, 'name' | 'handle' | 'parking'>>('an object').optional(),
  /**
   * Called with the new scheduler before the processor starts reading, e.g. to hand it archived events first
   * (`runFromArchive`); the processor starts once it resolves.
   */
  beforeReading: z
    .custom<(scheduler: StreamScheduler) => Promise<void>>((value) => typeof value === 'function', 'must be a function')
    .optional(),
});

/**
 * How a handler is run. Settings are grouped by the part they configure (`processor`, `scheduler`, `parking`);
 * each part checks its own group when it is created.
 */
export type RunOptions = z.input<typeof runOptionsSchema>;

/** A snapshot of a running handler: its processor's and scheduler's stats, and the change-feed documents handled. */
export interface HandlerRunStats {
  readonly processor: ProcessorStats;
  readonly scheduler: SchedulerStats;
  /** change-feed documents in pages that were completely handled (or parked) since the run started */
  readonly handledDocuments: number;
}

/** A handler running on its own change-feed processor, with a stream scheduler as the processor's sink. */
export interface HandlerRun {
  readonly handler: ChangeFeedHandler;
  readonly processor: ChangeFeedProcessor;
  readonly scheduler: StreamScheduler;
  stats(): HandlerRunStats;
  /**
   * Stops the processor (stops reading, drains the pages in flight, writes checkpoints, releases leases), then
   * closes the scheduler (its timers and waiters). Calling it again waits for the first call.
   */
  stop(): Promise<void>;
}

/** @deprecated the earlier name of {@link HandlerRun} */
export type RunningHandler = HandlerRun;

/** Passes everything to the scheduler and counts the documents of each page once the page is handled. */
function countingSink(scheduler: StreamScheduler, counted: (documents: number) => void): FeedSink {
  return {
    async ingest(page) {
      const accepted = await scheduler.ingest(page);
      accepted.handled.then(
        () => counted(page.documents.length),
        () => undefined,
      );
      return accepted;
    },
    revoke: (leaseToken) => scheduler.revoke(leaseToken),
    open: (leaseToken, start) => scheduler.open(leaseToken, start),
    caughtUp: (leaseToken) => scheduler.caughtUp(leaseToken),
    handled: (leaseToken) => scheduler.handled(leaseToken),
    quiesce: () => scheduler.quiesce(),
  };
}

/**
 * Runs a handler over the change feed of the events container — the one way every host (your process, the dev host,
 * the CLI, the sample's self-hosted processors) runs one: a stream scheduler (ordered per stream, retried, parked when
 * configured) as the sink of a change-feed processor named `handler.processorName`, started before this resolves.
 * Run the same handler in several processes to share the feed ranges between them.
 *
 * `const run = await runHandler(reactor, { events, leases, scheduler: { maxConcurrentStreams: 32 } }); … await run.stop();`
 * @throws InvalidOptions when `options` break their schema (also `InvalidProcessorOptions` for `processor`, and
 *   the scheduler's own for `scheduler`)
 */
export async function runHandler(handler: ChangeFeedHandler, options: RunOptions): Promise<HandlerRun> {
  const settings = parseOptions(runOptionsSchema, options, 'runHandler');
  const { events, leases, parking, processor: processorSettings, scheduler: schedulerSettings } = settings;
  const scheduler = createStreamScheduler({
    ...schedulerSettings,
    name: handler.processorName,
    handle: handler.handle,
    ...(parking ? { parking } : {}),
  });
  let handledDocuments = 0;
  let processor: ChangeFeedProcessor;
  try {
    processor = createChangeFeedProcessor({
      ...processorSettings,
      name: handler.processorName,
      monitored: events,
      leases,
      sink: countingSink(scheduler, (documents) => {
        handledDocuments += documents;
      }),
    });
  } catch (error) {
    scheduler.close();
    throw error;
  }
  try {
    await settings.beforeReading?.(scheduler);
    await processor.start();
  } catch (error) {
    await processor.stop().catch(() => undefined);
    scheduler.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    handler,
    processor,
    scheduler,
    stats: () => ({ processor: processor.stats(), scheduler: scheduler.stats(), handledDocuments }),
    stop() {
      stopping ??= (async () => {
        try {
          await processor.stop();
        } finally {
          scheduler.close();
        }
      })();
      return stopping;
    },
  };
}
