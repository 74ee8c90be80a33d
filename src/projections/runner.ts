import { estimateLag, type RangeLag } from '../feed/index.ts';
import { type HandlerRun, type RunOptions, runHandler } from '../streams/index.ts';
import { caughtUpTo, feedHeads } from './catch-up.ts';
import type { Projection } from './projection.ts';

/** `runHandler`'s options but `beforeReading` (a projection always reads from the beginning of the feed), and: */
export type ProjectionRunOptions = Omit<RunOptions, 'beforeReading' | 'processor'> & {
  readonly processor?: Omit<NonNullable<RunOptions['processor']>, 'startFrom'>;
  /**
   * When this version is not the active one (a version bump), it is rebuilt from the beginning of the feed into its
   * own view set while readers keep using the active version. The head of the feed is noted when the run starts;
   * readers are switched over once every range's checkpoint has passed it (every change written before the run
   * started is handled) and no stream is failing; checked every `checkEveryMs`. `false`: switch with `activate()`
   * yourself. Default `{ checkEveryMs: 2_000 }`.
   */
  readonly switchOver?: false | { readonly checkEveryMs?: number };
  /** told when the switch-over happened (or failed to check) */
  readonly onSwitchOver?: (event: { readonly version: number } | { readonly error: unknown }) => void;
};

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

export interface RunningProjection extends HandlerRun {
  progress(): Promise<ProjectionProgress>;
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
  const switchOver = options.switchOver === false ? undefined : { checkEveryMs: 2_000, ...options.switchOver };
  // The head the rebuild must reach, noted before it starts reading.
  const asked =
    switchOver && (await pointer.read()) !== projection.version ? await feedHeads(options.events) : undefined;
  const { switchOver: _, onSwitchOver, ...runOptions } = options;
  const run = await runHandler(projection, {
    ...runOptions,
    processor: { ...options.processor, startFrom: 'beginning' },
  });
  const { processor, scheduler } = run;

  const feed = { monitored: options.events, leases: options.leases, name: projection.processorName };
  const progressWith = async (lag: readonly RangeLag[]): Promise<ProjectionProgress> => {
    const activeVersion = await projection.activeVersion();
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
  const progress = async () => progressWith(await estimateLag(feed));

  let timer: NodeJS.Timeout | undefined;
  if (switchOver && asked) {
    const check = async () => {
      timer = undefined;
      try {
        const lag = await estimateLag(feed);
        if (!(await progressWith(lag)).rebuilding) return;
        const quiet = scheduler.stats().streams.failing === 0;
        if (quiet && processor.ownedLeases().length > 0 && (await caughtUpTo(asked, lag, feed))) {
          await projection.activate();
          onSwitchOver?.({ version: projection.version });
          return;
        }
      } catch (error) {
        onSwitchOver?.({ error });
      }
      if (processor.stats().state === 'running') timer = setTimeout(check, switchOver.checkEveryMs);
    };
    timer = setTimeout(check, switchOver.checkEveryMs);
  }

  return {
    ...run,
    progress,
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await run.stop();
    },
  };
}
