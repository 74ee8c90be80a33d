import type { Container } from '@azure/cosmos';
import { type ChangeFeedProcessor, estimateLag, type ProcessorOptions } from '../feed/index.ts';
import { runProcessor, type StreamScheduler, type StreamSchedulerOptions } from '../streams/index.ts';
import type { Projection } from './projection.ts';

export interface ProjectionRunOptions {
  /** the events container (the store's `container`) */
  readonly events: Container;
  readonly leases: Container;
  readonly parking?: { readonly deadLetters: Container; readonly afterAttempts?: number };
  readonly processor?: Omit<ProcessorOptions, 'name' | 'monitored' | 'leases' | 'sink' | 'startFrom'>;
  readonly scheduler?: Omit<StreamSchedulerOptions, 'name' | 'handle' | 'parking'>;
  /**
   * When this version is not the active one (a version bump), it is rebuilt from the beginning of the feed into its
   * own view set while readers keep using the active version; once every range's checkpoint is less than
   * `whenBehindMs` behind the head of the feed, readers are switched over. `false`: switch with `activate()` yourself.
   * Default `{ whenBehindMs: 5_000, checkEveryMs: 2_000 }`.
   */
  readonly switchOver?: false | { readonly whenBehindMs?: number; readonly checkEveryMs?: number };
  /** told when the switch-over happened (or failed to check) */
  readonly onSwitchOver?: (event: { readonly version: number } | { readonly error: unknown }) => void;
}

export interface ProjectionProgress {
  readonly projection: string;
  readonly version: number;
  readonly activeVersion: number;
  /** true while this version is being built and readers still use another one */
  readonly rebuilding: boolean;
  /** events applied (or found already applied) by this process */
  readonly handledEvents: number;
  /** changes between the checkpoints and the head of the feed (a lower bound when a range is large) */
  readonly pendingChanges: number;
  /** how far in time the slowest range's checkpoint is behind the head */
  readonly behindMs: number;
}

export interface RunningProjection {
  readonly processor: ChangeFeedProcessor;
  readonly scheduler: StreamScheduler;
  progress(): Promise<ProjectionProgress>;
  stop(): Promise<void>;
}

/**
 * Runs a projection over the change feed under the processor name of its version, from the beginning of the feed.
 * The first version ever run becomes the active one at once; a later version rebuilds beside it and switches over
 * when caught up (see `switchOver`).
 */
export async function runProjection<V>(
  projection: Projection<V>,
  options: ProjectionRunOptions,
): Promise<RunningProjection> {
  const pointer = projection.pointer;
  await pointer.initialize(projection.version);
  const run = await runProcessor({
    ...options.processor,
    ...options.scheduler,
    name: projection.processorName,
    monitored: options.events,
    leases: options.leases,
    startFrom: 'beginning',
    handle: projection.handle,
    parking: options.parking,
  });
  const { processor, scheduler } = run;

  const progress = async (): Promise<ProjectionProgress> => {
    const [activeVersion, lag] = await Promise.all([
      projection.activeVersion(),
      estimateLag({ monitored: options.events, leases: options.leases, name: projection.processorName }),
    ]);
    return {
      projection: projection.name,
      version: projection.version,
      activeVersion,
      rebuilding: activeVersion !== projection.version,
      handledEvents: scheduler.stats().handled.events,
      pendingChanges: lag.reduce((sum, range) => sum + range.pendingChanges, 0),
      behindMs: lag.reduce((max, range) => Math.max(max, range.behindMs), 0),
    };
  };

  let timer: NodeJS.Timeout | undefined;
  const switchOver =
    options.switchOver === false ? undefined : { whenBehindMs: 5_000, checkEveryMs: 2_000, ...options.switchOver };
  if (switchOver && (await pointer.read()) !== projection.version) {
    const check = async () => {
      timer = undefined;
      try {
        const now = await progress();
        if (!now.rebuilding) return;
        const quiet = scheduler.stats().streams.failing === 0;
        if (quiet && now.behindMs <= switchOver.whenBehindMs && processor.ownedLeases().length > 0) {
          await projection.activate();
          options.onSwitchOver?.({ version: projection.version });
          return;
        }
      } catch (error) {
        options.onSwitchOver?.({ error });
      }
      if (processor.stats().state === 'running') timer = setTimeout(check, switchOver.checkEveryMs);
    };
    timer = setTimeout(check, switchOver.checkEveryMs);
  }

  return {
    processor,
    scheduler,
    progress,
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await run.stop();
    },
  };
}
