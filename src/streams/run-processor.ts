import { type ChangeFeedProcessor, createChangeFeedProcessor, type ProcessorOptions } from '../feed/index.ts';
import { createStreamScheduler } from './create-stream-scheduler.ts';
import type { StreamSchedulerOptions } from './options.ts';
import type { StreamScheduler } from './scheduler.ts';

/** The options of a change-feed processor (but its sink) and of a stream scheduler, which shares its `name`. */
export type RunProcessorOptions = Omit<ProcessorOptions, 'sink'> & Omit<StreamSchedulerOptions, 'name'>;

export interface ProcessorRun {
  readonly processor: ChangeFeedProcessor;
  readonly scheduler: StreamScheduler;
  /** stops the processor (drains, checkpoints, releases leases), then the scheduler's timers */
  stop(): Promise<void>;
}

/** Every scheduler option but the shared `name`; a `Record` so that an option added to the scheduler must be listed. */
const schedulerKeys = Object.keys({
  handle: true,
  maxConcurrentStreams: true,
  maxEventsPerSpan: true,
  maxReadAhead: true,
  maxBufferedEvents: true,
  retry: true,
  notYet: true,
  parking: true,
  maxTrackedStreams: true,
  carriedPositions: true,
  stallAfterMs: true,
  gapWarningAfterMs: true,
  meterProvider: true,
} satisfies Record<Exclude<keyof StreamSchedulerOptions, 'name'>, true>) as Exclude<
  keyof StreamSchedulerOptions,
  'name'
>[];

/**
 * Starts a change-feed processor over `monitored` whose pages go to a new stream scheduler, both named `name`: the
 * usual way to run a handler self-hosted.
 *
 * `const run = await runProcessor({ name, monitored, leases, handle }); … await run.stop();`
 */
export async function runProcessor(options: RunProcessorOptions): Promise<ProcessorRun> {
  const processorOptions: Record<string, unknown> = { ...options };
  const schedulerOptions: Record<string, unknown> = { name: options.name };
  for (const key of schedulerKeys) {
    schedulerOptions[key] = options[key];
    delete processorOptions[key];
  }
  const scheduler = createStreamScheduler(schedulerOptions as StreamSchedulerOptions);
  const processor = createChangeFeedProcessor({
    ...(processorOptions as Omit<ProcessorOptions, 'sink'>),
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
