import type { FeedRange } from '@azure/cosmos';
import { createCheckpointTracker } from './checkpoint-tracker.ts';
import { NowUnresolved } from './errors.ts';
import type { LeaseDocument } from './lease.ts';
import { createOwnedLease, type OwnedLease } from './owned-lease.ts';
import type { ProcessorContext } from './processor-context.ts';
import { createRangeReader, type FirstRead, startFirstRead } from './range-reader.ts';
import { effectiveStart, resolveNow, startPositionOf } from './start-position.ts';

const maxNowProbes = 3;

/** A lease that would start from "now" gets that position stored first, so that no later owner skips past it. */
async function pinNow(context: ProcessorContext, owned: OwnedLease, ranges: readonly FeedRange[]): Promise<void> {
  const lease = owned.current();
  if (lease.continuation !== null || effectiveStart(lease, context.settings.startFrom) !== 'now') return;
  for (let attempt = 1; ; attempt += 1) {
    const token = await resolveNow(context.monitored, lease, attempt === 1 ? ranges : undefined);
    if (token !== undefined) return owned.checkpoint(token);
    if (attempt === maxNowProbes) throw new NowUnresolved(lease.id, attempt);
  }
}

/**
 * Starts the first read of a lease's range while the lease is being taken. Only for a lease whose start does not
 * depend on the moment (a checkpoint, the beginning, a time): a "now" must be stored before reading. The position
 * is the one the taken lease will hold, since taking it is guarded by the ETag of the document it came from.
 */
export function readEarly(
  context: ProcessorContext,
  lease: LeaseDocument,
  ranges: readonly FeedRange[],
): Promise<FirstRead> | undefined {
  const { monitored, settings } = context;
  if (lease.continuation === null && effectiveStart(lease, settings.startFrom) === 'now') return undefined;
  const early = startPositionOf(monitored, lease, settings.startFrom, ranges).then((start) =>
    startFirstRead(monitored, start, settings.maxItemsPerPage),
  );
  early.catch(() => undefined);
  return early;
}

/**
 * Starts reading a lease this instance has just taken (or created owned): pins "now" if that is where it starts,
 * opens the range at the sink and starts its reader. `ranges`: the monitored container's feed ranges as the acquire
 * cycle read them. Resolves with the first read, so the caller may wait for the range's first page.
 */
export async function startReading(
  context: ProcessorContext,
  lease: LeaseDocument,
  ranges: readonly FeedRange[],
  early?: Promise<FirstRead>,
): Promise<FirstRead> {
  const { monitored, settings, me } = context;
  const owned = createOwnedLease(context.store, lease, me);
  await pinNow(context, owned, ranges);
  const pinned = owned.current();
  const firstRead =
    (await early?.catch(() => undefined)) ??
    startFirstRead(
      monitored,
      await startPositionOf(monitored, pinned, settings.startFrom, ranges),
      settings.maxItemsPerPage,
    );
  const tracker = createCheckpointTracker(pinned.continuation ?? undefined);
  settings.sink.open?.(lease.id, {
    fromBeginning: pinned.continuation === null && effectiveStart(pinned, settings.startFrom) === 'beginning',
    handled: pinned.handled ?? {},
  });
  const reader = createRangeReader({
    leaseToken: lease.id,
    firstRead,
    sink: settings.sink,
    tracker,
    pollIntervalMs: settings.pollIntervalMs,
    maxPollIntervalMs: settings.maxPollIntervalMs ?? settings.pollIntervalMs * 16,
    onError: context.report(`reading lease ${lease.id}`),
    onFailed: (error) => context.giveUp(lease.id, error),
  });
  context.running.set(lease.id, { owned, tracker, reader, acquiredAt: new Date() });
  return firstRead;
}
