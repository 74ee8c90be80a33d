import type { Container } from '@azure/cosmos';
import type { StreamSpan, TimelineEvent } from '../core/index.ts';
import { Lease, type LeaseDocument, listCheckpoints } from '../feed/index.ts';
import {
  type ChangeFeedHandler,
  type HandlerRun,
  type RunOptions,
  runHandler,
  type StreamScheduler,
} from '../streams/index.ts';
import type { ArchiveBlobs } from './archive-blobs.ts';
import { timelineEventAt } from './archive-reader.ts';
import { archiverProcessorName } from './archiver.ts';
import { ArchiveNotCaughtUp, TornArchiveBlob } from './errors.ts';
import { ArchiveLayout } from './layout.ts';
import { type ArchivedEvent, decodeSegment } from './segment.ts';

/** How far a replay from the archive has come. */
export interface ArchiveReplayProgress {
  readonly segments: number;
  readonly segmentsDone: number;
  readonly events: number;
}

/** The lease token under which archive spans reach the scheduler. */
export const archiveLeaseToken = 'archive';

/** Consecutive events of one stream within a segment, as spans, in segment order. */
function spansOf(events: ReturnType<typeof decodeSegment>): StreamSpan[] {
  const spans: StreamSpan[] = [];
  // Events appended together share their timestamp: one Date per distinct time, as the store's reader does.
  let lastTime = '';
  let lastDate = new Date(0);
  const timelineEventOf = (event: ArchivedEvent) => {
    if (event.t !== lastTime) {
      lastTime = event.t;
      lastDate = new Date(event.t);
    }
    return timelineEventAt(event, lastDate);
  };
  let current: { stream: string; index: bigint; events: TimelineEvent[] } | undefined;
  for (const event of events) {
    if (
      current !== undefined &&
      current.stream === event.p &&
      Number(current.index) + current.events.length === event.i
    ) {
      current.events.push(timelineEventOf(event));
      continue;
    }
    current = { stream: event.p, index: BigInt(event.i), events: [timelineEventOf(event)] };
    spans.push(current);
  }
  return spans;
}

/**
 * Hands every archived event to `scheduler`, segment by segment in the order they were written, and resolves once
 * the scheduler has handled them all (it orders each stream's events, drops repeats and fills gaps across segments).
 * A segment that is missing or torn fails the replay with `TornArchiveBlob`: an incomplete replay would lose events.
 */
export async function replayArchiveInto(
  scheduler: StreamScheduler,
  blobs: ArchiveBlobs,
  onProgress?: (progress: ArchiveReplayProgress) => void,
): Promise<ArchiveReplayProgress> {
  const names: string[] = [];
  for await (const name of blobs.list(ArchiveLayout.prefix())) if (ArchiveLayout.isSegment(name)) names.push(name);
  let events = 0;
  let segmentsDone = 0;
  const handled: Promise<void>[] = [];
  onProgress?.({ segments: names.length, segmentsDone, events });
  const fetch = async (name: string) => {
    const blob = await blobs.get(name);
    if (blob === undefined) throw new TornArchiveBlob(name, 'it was listed but is gone');
    return decodeSegment(name, blob);
  };
  // One segment is read ahead while the scheduler takes the current one, as the feed reader asks for its next page.
  let next = names[0] === undefined ? undefined : fetch(names[0]);
  for (let at = 0; at < names.length; at++) {
    const decoded = await (next as Promise<ReturnType<typeof decodeSegment>>);
    const following = names[at + 1];
    next = following === undefined ? undefined : fetch(following);
    next?.catch(() => undefined);
    handled.push((await scheduler.ingestSpans(archiveLeaseToken, spansOf(decoded))).handled);
    events += decoded.length;
    segmentsDone++;
    onProgress?.({ segments: names.length, segmentsDone, events });
  }
  // Everything archived is in: a stream whose first versions are not in the archive starts where its events do.
  scheduler.caughtUp(archiveLeaseToken);
  await Promise.all(handled);
  return { segments: names.length, segmentsDone, events };
}

/** The archiver's lease documents as they are now: where its checkpoints say the archive is complete. */
async function archiverLeases(leases: Container, archiver: string): Promise<LeaseDocument[]> {
  const { resources } = await leases.items
    .query<LeaseDocument>({
      query: 'SELECT * FROM c WHERE c.processor = @processor',
      parameters: [{ name: '@processor', value: archiver }],
    })
    .fetchAll();
  if (!resources.some((lease) => lease.continuation !== null)) throw new ArchiveNotCaughtUp(archiver);
  return resources;
}

/** Writes the archiver's leases as the target processor's: same ranges, continuations and handled positions. */
async function seedLeases(leases: Container, from: readonly LeaseDocument[], target: string): Promise<void> {
  const now = new Date();
  for (const lease of from) {
    await leases.items.create<LeaseDocument>({
      ...Lease.create(target, lease.feedRange, now),
      continuation: lease.continuation,
      startFrom: lease.startFrom,
      checkpointedAt: lease.checkpointedAt,
      handled: lease.handled ?? null,
    });
  }
}

export type ArchiveRunOptions = Omit<RunOptions, 'beforeReading'> & {
  readonly blobs: ArchiveBlobs;
  /** the archiver whose archive and checkpoints to start from (its `name`); default `archive` */
  readonly archiver?: string;
  readonly onProgress?: (progress: ArchiveReplayProgress) => void;
};

export interface ArchiveRun extends HandlerRun {
  /** what came from the archive; undefined when the handler already had checkpoints and read only the feed */
  readonly fromArchive: ArchiveReplayProgress | undefined;
}

/**
 * Steps 1–3 of `runFromArchive` without starting the processor: when the processor `name` has no checkpoints, hands
 * the archive to `scheduler` and writes the archiver's checkpoints (noted first) as the processor's. Resolves to what
 * came from the archive, or undefined when the processor already had checkpoints (nothing is done then).
 */
export async function replayArchiveFor(
  name: string,
  scheduler: StreamScheduler,
  options: Pick<ArchiveRunOptions, 'leases' | 'blobs' | 'archiver' | 'onProgress'>,
): Promise<ArchiveReplayProgress | undefined> {
  if ((await listCheckpoints({ leases: options.leases, name })).length > 0) return undefined;
  // The archiver's checkpoints are noted before the archive is listed: whatever it archives meanwhile comes again
  // from the feed (and is dropped by version), where noting them after would skip it.
  const switchAt = await archiverLeases(options.leases, archiverProcessorName(options.archiver));
  const replayed = await replayArchiveInto(scheduler, options.blobs, options.onProgress);
  await seedLeases(options.leases, switchAt, name);
  return replayed;
}

/**
 * Runs a handler that has never run (no checkpoints) from the archive, then from the change feed:
 *
 * 1. notes the archiver's checkpoints (everything before them is archived: the archiver checkpoints only what
 *    reads back intact);
 * 2. hands every archived event to a stream scheduler and waits until they are handled;
 * 3. writes those checkpoints as the handler's own, and starts its change-feed processor with the same scheduler.
 *
 * The feed therefore starts where the archive is known complete. Events archived after step 1 come again from the
 * feed, and the scheduler drops them by version; none is skipped. A crash before step 3 replays the archive again;
 * after it, the handler just continues from its checkpoints. At least once, in order per stream, as from the feed.
 */
export async function runFromArchive(handler: ChangeFeedHandler, options: ArchiveRunOptions): Promise<ArchiveRun> {
  const { blobs, archiver, onProgress, ...runOptions } = options;
  let fromArchive: ArchiveReplayProgress | undefined;
  const run = await runHandler(handler, {
    ...runOptions,
    processor: { startFrom: 'beginning', ...options.processor },
    beforeReading: async (scheduler) => {
      fromArchive = await replayArchiveFor(handler.processorName, scheduler, options);
    },
  });
  return { ...run, fromArchive };
}
