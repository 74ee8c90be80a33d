import { randomUUID } from 'node:crypto';
import type { FeedRange } from '@azure/cosmos';
import { every } from './abortable.ts';
import { decideLeases, type LeaseView } from './balancing.ts';
import { type CheckpointTracker, createCheckpointTracker } from './checkpoint-tracker.ts';
import { EpkRange } from './epk-range.ts';
import { InvalidProcessorOptions, LeaseLost } from './errors.ts';
import { Lease, type LeaseDocument } from './lease.ts';
import { LeaseObservations } from './lease-observations.ts';
import { createLeaseStore } from './lease-store.ts';
import { type ProcessorOptions, processorOptionsSchema } from './options.ts';
import { createOwnedLease, type OwnedLease } from './owned-lease.ts';
import type { ChangeFeedProcessor, ProcessorStats } from './processor-stats.ts';
import { createRangeReader, type FirstRead, type RangeReader, startFirstRead } from './range-reader.ts';
import { effectiveStart, resolveNow, startPositionOf } from './start-position.ts';

const maxDecisionRounds = 3;
const maxNowProbes = 3;

interface Running {
  readonly owned: OwnedLease;
  readonly tracker: CheckpointTracker;
  readonly reader: RangeReader;
  readonly acquiredAt: Date;
}

/**
 * A change-feed processor instance. Several instances with the same `name` (in one or many processes) split the
 * monitored container's feed ranges between them through lease documents in `leases` (the README's "The change-feed processor").
 */
export function createChangeFeedProcessor(options: ProcessorOptions): ChangeFeedProcessor {
  const parsed = processorOptionsSchema.safeParse(options);
  if (!parsed.success)
    throw new InvalidProcessorOptions(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
  const settings = parsed.data;
  const { name, monitored, sink, leaseTimings } = settings;
  // Unique per start: two processes given the same instanceId (or one restarted) never share a lease identity.
  const me = `${settings.instanceId}-${randomUUID().slice(0, 8)}`;
  const observations = new LeaseObservations();
  const store = createLeaseStore(settings.leases, name);
  const running = new Map<string, Running>();
  const counters = {
    leasesAcquired: 0,
    leasesStolen: 0,
    leasesLost: 0,
    leasesCreated: 0,
    acquireCycles: 0,
    checkpointsWritten: 0,
    errors: 0,
  };
  let state: ProcessorStats['state'] = 'idle';
  let acquiring: AbortController | undefined;
  let maintaining: AbortController | undefined;
  let loops: Promise<void>[] = [];
  let starting: Promise<void> = Promise.resolve();

  const report = (context: string) => (error: unknown) => {
    counters.errors += 1;
    settings.onError(error, context);
  };

  const drop = (id: string, reason: LeaseLost) => {
    const lease = running.get(id);
    if (lease === undefined) return;
    running.delete(id);
    counters.leasesLost += 1;
    settings.onLeaseLost?.(reason);
    void lease.reader.stop();
    sink.revoke(id);
  };

  /**
   * A failed lease write: only `LeaseLost` gives the range up. Anything else (a timeout, a 503) is reported and the
   * write is tried again next cycle; should it keep failing past the expiry, another instance takes the lease over
   * and the next write here finds out.
   */
  const writeFailed = (id: string, context: string) => (error: unknown) => {
    if (error instanceof LeaseLost) drop(id, error);
    else report(`${context} lease ${id}`)(error);
  };

  /** The sink refused a page: give the lease up (checkpoint kept) so that its range is read again from there. */
  const giveUp = (id: string, error: unknown) => {
    const lease = running.get(id);
    report(`lease ${id}: the sink refused a page, releasing the lease`)(error);
    if (lease === undefined) return;
    running.delete(id);
    const handled = sink.handled?.(id);
    sink.revoke(id);
    void lease.owned.release(lease.tracker.position(), handled).catch(report(`releasing lease ${id}`));
  };

  /** A lease that would start from "now" gets that position stored first, so that no later owner skips past it. */
  const pinNow = async (owned: OwnedLease, ranges: readonly FeedRange[]): Promise<void> => {
    const lease = owned.current();
    if (lease.continuation !== null || effectiveStart(lease, settings.startFrom) !== 'now') return;
    for (let attempt = 1; ; attempt += 1) {
      const token = await resolveNow(monitored, lease, attempt === 1 ? ranges : undefined);
      if (token !== undefined) return owned.checkpoint(token);
      if (attempt === maxNowProbes) throw new Error(`lease ${lease.id}: the feed kept answering changes to "now"`);
    }
  };

  /**
   * Starts the first read of a lease's range while the lease is being taken. Only for a lease whose start does not
   * depend on the moment (a checkpoint, the beginning, a time): a "now" must be stored before reading. The position
   * is the one the taken lease will hold, since taking it is guarded by the ETag of the document it came from.
   */
  const readEarly = (lease: LeaseDocument, ranges: readonly FeedRange[]): Promise<FirstRead> | undefined => {
    if (lease.continuation === null && effectiveStart(lease, settings.startFrom) === 'now') return undefined;
    const early = startPositionOf(monitored, lease, settings.startFrom, ranges).then((start) =>
      startFirstRead(monitored, start, settings.maxItemsPerPage),
    );
    early.catch(() => undefined);
    return early;
  };

  /** `ranges`: the monitored container's feed ranges as this acquire cycle read them. */
  const startReading = async (lease: LeaseDocument, ranges: readonly FeedRange[], early?: Promise<FirstRead>) => {
    const owned = createOwnedLease(store, lease, me);
    await pinNow(owned, ranges);
    const pinned = owned.current();
    const firstRead =
      (await early?.catch(() => undefined)) ??
      startFirstRead(
        monitored,
        await startPositionOf(monitored, pinned, settings.startFrom, ranges),
        settings.maxItemsPerPage,
      );
    const tracker = createCheckpointTracker(pinned.continuation ?? undefined);
    sink.open?.(lease.id, {
      fromBeginning: pinned.continuation === null && effectiveStart(pinned, settings.startFrom) === 'beginning',
      handled: pinned.handled ?? {},
    });
    const reader = createRangeReader({
      leaseToken: lease.id,
      firstRead,
      sink,
      tracker,
      pollIntervalMs: settings.pollIntervalMs,
      onError: report(`reading lease ${lease.id}`),
      onFailed: (error) => giveUp(lease.id, error),
    });
    running.set(lease.id, { owned, tracker, reader, acquiredAt: new Date() });
  };

  /** Takes a lease with an ETag-guarded write; undefined when another instance changed it first. */
  const take = async (lease: LeaseDocument, ranges: readonly FeedRange[]): Promise<LeaseDocument | undefined> => {
    const now = new Date().toISOString();
    const early = readEarly(lease, ranges);
    const taken = await store.replace({ ...lease, owner: me, acquiredAt: now, renewedAt: now });
    if (taken === undefined) return undefined;
    if (state !== 'running') {
      await store.replace({ ...taken, owner: null, renewedAt: null });
      return undefined;
    }
    try {
      await startReading(taken, ranges, early);
    } catch (error) {
      // e.g. the lease was taken over while its "now" was being stored: nothing is read, the lease stays with
      // whoever holds it (or expires and is taken again)
      if (!(error instanceof LeaseLost)) throw error;
      return undefined;
    }
    counters.leasesAcquired += 1;
    return taken;
  };

  /** Leases for EPK space that no lease covers yet: a new processor, or (rarely) space no lease document holds. */
  const createMissingLeases = async (
    existing: readonly LeaseDocument[],
    ranges: readonly FeedRange[],
  ): Promise<LeaseDocument[] | undefined> => {
    const missing = EpkRange.uncovered(
      ranges,
      existing.map((lease) => lease.feedRange),
    );
    if (missing.length === 0) return undefined;
    await Promise.all(missing.map((range) => store.create(range)));
    counters.leasesCreated += missing.length;
    return withdrawOverlaps(missing, await store.list());
  };

  /**
   * Two instances creating leases while a range splits can cover the same EPK space twice: one saw the parent range,
   * the other its children. Each instance withdraws the leases it has just created that overlap another lease, as
   * long as nobody has taken them yet (ETag-guarded delete); if both withdraw, the next cycle creates leases from the
   * ranges as they are then. Overlapping leases would not lose changes, but would deliver them twice, concurrently.
   */
  const withdrawOverlaps = async (created: readonly EpkRange[], leases: LeaseDocument[]): Promise<LeaseDocument[]> => {
    const createdIds = new Set(created.map((range) => Lease.id(name, range)));
    const mine = leases.filter((lease) => createdIds.has(lease.id));
    const others = leases.filter((lease) => !createdIds.has(lease.id)).map((lease) => lease.feedRange);
    const overlapping = new Set(
      EpkRange.overlapping(
        mine.map((lease) => lease.feedRange),
        others,
      ).map(EpkRange.key),
    );
    const withdrawn = new Set<string>();
    for (const lease of mine) {
      if (!overlapping.has(EpkRange.key(lease.feedRange)) || lease.owner !== null || lease.continuation !== null)
        continue;
      if (await store.removeUnchanged(lease)) withdrawn.add(lease.id);
    }
    counters.leasesCreated -= withdrawn.size;
    return leases.filter((lease) => !withdrawn.has(lease.id));
  };

  const viewOf = (lease: LeaseDocument): LeaseView => {
    // A lease naming this instance that it is not reading (its reading failed to start) is free to retake.
    const owner = lease.owner === me && !running.has(lease.id) ? undefined : (lease.owner ?? undefined);
    return { id: lease.id, owner, expired: owner === me ? false : observations.expired(lease, leaseTimings.expiryMs) };
  };

  const acquireCycle = async () => {
    counters.acquireCycles += 1;
    const [listed, ranges] = await Promise.all([store.list(), monitored.getFeedRanges()]);
    const leases = (await createMissingLeases(listed, ranges)) ?? listed;
    observations.observe(leases);
    for (const lease of leases) {
      if (running.has(lease.id) && lease.owner !== me) {
        drop(lease.id, new LeaseLost(lease.id, me, `it is now owned by ${lease.owner ?? 'nobody'}`));
      }
    }
    const byId = new Map(leases.map((lease) => [lease.id, lease]));
    let stolen = false;
    // When another instance wins a race for a lease, re-read it and decide again within the same cycle, so that
    // instances starting (or taking over) together settle in one cycle rather than one lease per cycle.
    for (let round = 0; round < maxDecisionRounds && state === 'running'; round += 1) {
      // The given id spreads the first takes: the per-start suffix of `me` is random, and instances whose offsets
      // collide race for the same lease, and the one left with none steals at once (read by two until the next renew).
      const decision = decideLeases(me, [...byId.values()].map(viewOf), settings.instanceId);
      const steal = stolen ? undefined : decision.steal;
      let lostRace = false;
      // One lease at a time: instances starting together then interleave their takes and settle on even shares,
      // where taking all at once lets the quickest instance take everything and the others steal from it at once.
      for (const id of steal === undefined ? decision.acquire : [...decision.acquire, steal]) {
        const lease = byId.get(id);
        if (lease === undefined || state !== 'running') continue;
        const taken = await take(lease, ranges);
        if (taken !== undefined) {
          byId.set(id, taken);
          if (id === steal) {
            stolen = true;
            counters.leasesStolen += 1;
          }
          continue;
        }
        lostRace = true;
        const fresh = await store.read(id);
        if (fresh === undefined) byId.delete(id);
        else byId.set(id, fresh);
      }
      if (!lostRace) return;
    }
  };

  const renewCycle = async () => {
    await Promise.all(
      [...running.entries()].map(([id, lease]) => lease.owned.renew().catch(writeFailed(id, 'renewing'))),
    );
  };

  const checkpoint = async (id: string, lease: Running) => {
    const position = lease.tracker.position();
    if (position === undefined || position === lease.owned.current().continuation) return;
    try {
      await lease.owned.checkpoint(position, sink.handled?.(id));
      counters.checkpointsWritten += 1;
    } catch (error) {
      writeFailed(id, 'checkpointing')(error);
    }
  };

  const checkpointCycle = async () => {
    await Promise.all([...running.entries()].map(([id, lease]) => checkpoint(id, lease)));
  };

  return {
    async start() {
      if (state !== 'idle') throw new InvalidProcessorOptions(`processor ${name} (${me}) was already started`);
      state = 'running';
      starting = acquireCycle();
      try {
        await starting;
      } catch (error) {
        // e.g. a missing leases container: leave nothing running, so that start() can be called again
        state = 'idle';
        await Promise.all([...running.values()].map((lease) => lease.reader.stop()));
        for (const id of running.keys()) sink.revoke(id);
        running.clear();
        throw error;
      }
      acquiring = new AbortController();
      maintaining = new AbortController();
      loops = [
        every(leaseTimings.acquireIntervalMs, acquiring.signal, acquireCycle, report('acquiring leases')),
        every(leaseTimings.renewIntervalMs, maintaining.signal, renewCycle, report('renewing leases')),
        every(settings.checkpointIntervalMs, maintaining.signal, checkpointCycle, report('writing checkpoints')),
      ];
    },

    async stop() {
      if (state !== 'running') return;
      state = 'stopping';
      await starting.catch(() => undefined);
      acquiring?.abort();
      await loops[0];
      const leases = [...running.entries()];
      await Promise.all(leases.map(([, lease]) => lease.reader.stop()));
      // Leases keep being renewed while handlers finish, so nobody takes them over mid-drain. The drain ends when
      // every page is handled, or when the sink has nothing left running that could finish one (a failing stream
      // holds its page: it is read again from the checkpoint), or at the timeout.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(leases.map(([, lease]) => lease.tracker.drained(settings.drainTimeoutMs))),
        ...(sink.quiesce === undefined ? [] : [sink.quiesce()]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, settings.drainTimeoutMs).unref();
        }),
      ]);
      clearTimeout(timer);
      maintaining?.abort();
      await Promise.all(loops);
      await Promise.all(
        [...running.entries()].map(async ([id, lease]) => {
          running.delete(id);
          try {
            await lease.owned.release(lease.tracker.position(), sink.handled?.(id));
            counters.checkpointsWritten += 1;
          } catch (error) {
            if (!(error instanceof LeaseLost)) report(`releasing lease ${id}`)(error);
          }
          sink.revoke(id);
        }),
      );
      state = 'stopped';
    },

    stats() {
      return {
        name,
        instanceId: me,
        state,
        ...counters,
        leases: [...running.entries()].map(([leaseId, lease]) => {
          const current = lease.owned.current();
          return {
            leaseId,
            feedRange: current.feedRange,
            acquiredAt: lease.acquiredAt,
            ...lease.reader.stats,
            pendingPages: lease.tracker.pending(),
            held: lease.tracker.failed(),
            checkpointedAt: current.checkpointedAt === null ? undefined : new Date(current.checkpointedAt),
          };
        }),
      };
    },

    ownedLeases: () => [...running.keys()],
  };
}
