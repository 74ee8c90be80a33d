import type { Database } from '@azure/cosmos';
import { type ChangeFeedProcessor, createChangeFeedProcessor } from '../../../src/feed/index.ts';
import { createProjection, type Projection } from '../../../src/projections/index.ts';
import { createStreamScheduler, type StreamScheduler } from '../../../src/streams/index.ts';
import { checkedSink } from './checked-sink.ts';
import { applyToChecksumView, type ChecksumView, compareWithReplay, type ViewComparison } from './checksum-view.ts';
import { replayEvents } from './replay.ts';
import { eventually } from './setup.ts';

/** The checksum projection run by a processor in this process. */
export interface ProjectionRunner {
  readonly projection: Projection<ChecksumView>;
  readonly scheduler: StreamScheduler;
  readonly processor: ChangeFeedProcessor;
  readonly errors: unknown[];
  /** protocol violations seen by the sink (see `checkedSink`): a scenario expects none */
  readonly violations: string[];
  stop(): Promise<void>;
}

export async function runChecksumProjection(
  database: Database,
  name = 'checksum',
  options: { maxItemsPerPage?: number } = {},
): Promise<ProjectionRunner> {
  const projection = createProjection<ChecksumView>({
    name,
    version: 1,
    container: database.container('views'),
    apply: (view, events) => applyToChecksumView(view, events),
  });
  const scheduler = createStreamScheduler({
    name: projection.processorName,
    handle: projection.handle,
    retry: { initialDelayMs: 20, maxDelayMs: 500 },
  });
  const errors: unknown[] = [];
  const violations: string[] = [];
  const processor = createChangeFeedProcessor({
    name: projection.processorName,
    monitored: database.container('events'),
    leases: database.container('leases'),
    sink: checkedSink(scheduler, (message) => violations.push(message)),
    startFrom: 'beginning',
    leaseTimings: { acquireIntervalMs: 300, renewIntervalMs: 250, expiryMs: 3_000 },
    pollIntervalMs: 50,
    checkpointIntervalMs: 200,
    ...(options.maxItemsPerPage === undefined ? {} : { maxItemsPerPage: options.maxItemsPerPage }),
    onError: (error) => errors.push(error),
  });
  await processor.start();
  return {
    projection,
    scheduler,
    processor,
    errors,
    violations,
    stop: async () => {
      await processor.stop();
      scheduler.close();
    },
  };
}

/** Waits until the views reflect every event of the replay, then compares them with it. */
export async function viewsAgainstReplay(
  database: Database,
  projection: Projection<ChecksumView>,
  timeoutMs: number,
): Promise<ViewComparison & { broken: readonly string[] }> {
  const replay = await replayEvents(database.container('events'));
  const readViews = async () =>
    new Map((await projection.query()).map((document) => [document.key, document.view] as const));
  const views = await eventually(
    'every view to catch up with the replay',
    readViews,
    (current) => compareWithReplay(replay.streams, current).lost === 0,
    timeoutMs,
    200,
  );
  return { ...compareWithReplay(replay.streams, views), broken: replay.broken };
}
