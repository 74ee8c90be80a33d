import { z } from 'zod';
import { parseOptions } from '../core/index.ts';
import { estimateLag, type RangeLag } from '../feed/index.ts';
import { type HandlerRun, type RunOptions, runHandler } from '../streams/index.ts';
import { caughtUpTo, feedHeads } from './catch-up.ts';
import { InvalidProjection } from './errors.ts';
import type { Projection } from './projection.ts';

const switchOverSchema = z.object({
  /**
   * When this version is not the active one (a version bump), it is rebuilt from the beginning of the feed into its
   * own view set while readers keep using the active version. The head of the feed is noted when the run starts;
   * readers are switched over once every range's checkpoint has passed it (every change written before the run
   * started is handled) and no stream is failing; checked every `checkEveryMs`. `false`: switch with `activate()`
   * yourself. Default `{ checkEveryMs: 2_000 }`.
   */
  switchOver: z
    .union([z.literal(false), z.object({ checkEveryMs: z.number().int().positive().default(2_000) })])
    .default({ checkEveryMs: 2_000 }),
  /** told when the switch-over happened (or failed to check) */
  onSwitchOver: z
    .custom<(event: { readonly version: number } | { readonly error: unknown }) => void>(
      (value) => typeof value === 'function',
      'must be a function',
    )
    .optional(),
});

/**
 * `runHandler`'s options (the processor always starts from the beginning of the feed; no `beforeReading`) and the
 * switch-over's.
 */
export type ProjectionRunOptions = Omit<RunOptions, 'beforeReading' | 'processor'> & {
  readonly processor?: Omit<NonNullable<RunOptions['processor']>, 'startFrom'>;
} & z.input<typeof switchOverSchema>;

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
 * @throws InvalidProjection (an `InvalidOptions`) when the switch-over options break their schema, and
 *   `InvalidOptions` when the run's do
 */
export async function runProjection<V>(
  projection: Projection<V>,
  options: ProjectionRunOptions,
): Promise<RunningProjection> {
  const { switchOver: _, onSwitchOver: __, ...runOptions } = options;
  const parsed = parseOptions(
    switchOverSchema,
    { switchOver: options.switchOver, onSwitchOver: options.onSwitchOver },
    `runProjection(${projection.name})`,
    InvalidProjection,
  );
  const switchOver = parsed.switchOver === false ? undefined : parsed.switchOver;
  const onSwitchOver = parsed.onSwitchOver;
  const pointer = projection.pointer;
  await pointer.initialize(projection.version);
  // The head the rebuild must reach, noted before it starts reading.
  const asked =
    switchOver && (await pointer.read()) !== projection.version ? await feedHeads(options.events) : undefined;
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
