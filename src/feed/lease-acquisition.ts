import type { FeedRange } from '@azure/cosmos';
import { decideLeases, type LeaseView } from './balancing.ts';
import { EpkRange } from './epk-range.ts';
import { LeaseLost } from './errors.ts';
import { Lease, type LeaseDocument } from './lease.ts';
import { readEarly, startReading } from './lease-reading.ts';
import type { ProcessorContext } from './processor-context.ts';
import type { FirstRead } from './range-reader.ts';

const maxDecisionRounds = 3;
const everything: EpkRange = { minInclusive: '', maxExclusive: 'FF' };

/**
 * One acquire cycle: lists the leases (and the feed ranges when the leases leave EPK space uncovered, or when a
 * lease must be started), creates missing leases, drops leases another instance took, then takes free, expired or
 * (to balance) stolen leases, one at a time.
 */
export async function acquireCycle(context: ProcessorContext, knownRanges: RangeCache): Promise<void> {
  const { store, running, me, counters } = context;
  counters.acquireCycles += 1;
  // The first cycle reads the ranges alongside the leases; later ones only when the leases leave space uncovered.
  const [listed, fresh] = await Promise.all([store.list(), knownRanges.known() ? undefined : knownRanges.get()]);
  const covered =
    EpkRange.uncovered(
      [everything],
      listed.map((lease) => lease.feedRange),
    ).length === 0;
  const ranges = fresh ?? (covered ? await knownRanges.get() : await knownRanges.refresh());
  const leases = (await createMissingLeases(context, listed, ranges)) ?? listed;
  context.observations.observe(leases);
  for (const lease of leases) {
    if (running.has(lease.id) && lease.owner !== me) {
      context.drop(lease.id, new LeaseLost(lease.id, me, `it is now owned by ${lease.owner ?? 'nobody'}`));
    }
  }
  const byId = new Map(leases.map((lease) => [lease.id, lease]));
  let stolen = false;
  // When another instance wins a race for a lease, re-read it and decide again within the same cycle, so that
  // instances starting (or taking over) together settle in one cycle rather than one lease per cycle.
  for (let round = 0; round < maxDecisionRounds && context.isRunning(); round += 1) {
    // The given id spreads the first takes: the per-start suffix of `me` is random, and instances whose offsets
    // collide race for the same lease, and the one left with none steals at once (read by two until the next renew).
    const decision = decideLeases(me, [...byId.values()].map(viewOf(context)), context.settings.instanceId);
    const steal = stolen ? undefined : decision.steal;
    let lostRace = false;
    // One lease at a time: instances starting together then interleave their takes and settle on even shares,
    // where taking all at once lets the quickest instance take everything and the others steal from it at once.
    const ids = steal === undefined ? decision.acquire : [...decision.acquire, steal];
    // The first page of every lease about to be taken is asked for now (reading has no side effects; a lease lost to
    // another instance wastes only its read), so that the ranges taken one by one start reading together.
    const early = new Map(ids.map((id) => [id, startEarly(context, byId.get(id), ranges)]));
    for (const id of ids) {
      const lease = byId.get(id);
      if (lease === undefined || !context.isRunning()) continue;
      const taken = await take(context, lease, ranges, early.get(id));
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
}

/** The monitored container's feed ranges, read when first needed and again only when asked to. */
export interface RangeCache {
  /** whether ranges were read (or are being read) already */
  known(): boolean;
  get(): Promise<readonly FeedRange[]>;
  refresh(): Promise<readonly FeedRange[]>;
}

export function createRangeCache(read: () => Promise<readonly FeedRange[]>): RangeCache {
  let known: Promise<readonly FeedRange[]> | undefined;
  const refresh = () => {
    const reading = read();
    known = reading;
    reading.catch(() => {
      if (known === reading) known = undefined;
    });
    return reading;
  };
  return { known: () => known !== undefined, get: () => known ?? refresh(), refresh };
}

const viewOf =
  ({ me, running, observations, settings }: ProcessorContext) =>
  (lease: LeaseDocument): LeaseView => {
    // A lease naming this instance that it is not reading (its reading failed to start) is free to retake.
    const owner = lease.owner === me && !running.has(lease.id) ? undefined : (lease.owner ?? undefined);
    return {
      id: lease.id,
      owner,
      expired: owner === me ? false : observations.expired(lease, settings.leaseTimings.expiryMs),
    };
  };

const startEarly = (context: ProcessorContext, lease: LeaseDocument | undefined, ranges: readonly FeedRange[]) =>
  lease === undefined || !context.isRunning() ? undefined : readEarly(context, lease, ranges);

/**
 * Takes a lease with an ETag-guarded write; undefined when another instance changed it first. `early`: the first
 * read of its range, begun from the same lease document.
 */
async function take(
  context: ProcessorContext,
  lease: LeaseDocument,
  ranges: readonly FeedRange[],
  early: Promise<FirstRead> | undefined,
): Promise<LeaseDocument | undefined> {
  const { store, me } = context;
  const now = new Date().toISOString();
  const taken = await store.replace({ ...lease, owner: me, acquiredAt: now, renewedAt: now });
  if (taken === undefined) return undefined;
  if (!context.isRunning()) {
    await store.replace({ ...taken, owner: null, renewedAt: null });
    return undefined;
  }
  return begin(context, taken, ranges, early);
}

/**
 * Starts reading a lease this instance now owns; undefined when it was lost meanwhile (nothing is read). When it is
 * the instance's first range, waits for that range's first page before going on: the first events are handed
 * before more lease writes queue up ahead of them, and the other ranges start one read later.
 */
async function begin(
  context: ProcessorContext,
  lease: LeaseDocument,
  ranges: readonly FeedRange[],
  early: Promise<FirstRead> | undefined,
): Promise<LeaseDocument | undefined> {
  const first = context.running.size === 0;
  let read: FirstRead;
  try {
    read = await startReading(context, lease, ranges, early);
  } catch (error) {
    // e.g. the lease was taken over while its "now" was being stored: nothing is read, the lease stays with
    // whoever holds it (or expires and is taken again)
    if (!(error instanceof LeaseLost)) throw error;
    return undefined;
  }
  context.counters.leasesAcquired += 1;
  if (first) await read.response.catch(() => undefined);
  return lease;
}

/**
 * Leases for EPK space that no lease covers yet: a new processor, or (rarely) space no lease document holds. The
 * lease this instance would take first is created already owned by it (its first page is asked for while the
 * leases are created) and read once the listing read again shows that no lease another instance created meanwhile
 * overlaps it; the others are created free and taken by the decision that follows.
 */
async function createMissingLeases(
  context: ProcessorContext,
  existing: readonly LeaseDocument[],
  ranges: readonly FeedRange[],
): Promise<LeaseDocument[] | undefined> {
  const { store, settings, me } = context;
  const missing = EpkRange.uncovered(
    ranges,
    existing.map((lease) => lease.feedRange),
  );
  if (missing.length === 0) return undefined;
  const planned = missing.map((range) => Lease.create(settings.name, range, new Date()));
  const views = [...existing, ...planned].map(viewOf(context));
  const first = decideLeases(me, views, settings.instanceId).acquire[0];
  const mine = planned.find((lease) => lease.id === first && context.isRunning());
  const early = mine === undefined ? undefined : readEarly(context, mine, ranges);
  const created = await Promise.all(
    missing.map((range, k) => store.create(range, planned[k] === mine ? me : undefined)),
  );
  context.counters.leasesCreated += created.filter((lease) => lease !== undefined).length;
  const leases = await withdrawOverlaps(context, missing, await store.list());
  const owned = created.find((lease) => lease?.owner === me);
  // Should it be lost at once, the decision that follows sees a lease naming this instance that it does not read.
  if (owned !== undefined && leases.some((lease) => lease.id === owned.id)) await begin(context, owned, ranges, early);
  return leases;
}

/**
 * Two instances creating leases while a range splits can cover the same EPK space twice: one saw the parent range,
 * the other its children. Each instance withdraws the leases it has just created that overlap another lease, as
 * long as nobody has taken them yet (ETag-guarded delete); if both withdraw, the next cycle creates leases from the
 * ranges as they are then. Overlapping leases would not lose changes, but would deliver them twice, concurrently.
 */
async function withdrawOverlaps(
  context: ProcessorContext,
  created: readonly EpkRange[],
  leases: LeaseDocument[],
): Promise<LeaseDocument[]> {
  const createdIds = new Set(created.map((range) => Lease.id(context.settings.name, range)));
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
    // a lease created owned by this instance is not read yet: it may be withdrawn like a free one
    const taken = lease.owner !== null && lease.owner !== context.me;
    if (!overlapping.has(EpkRange.key(lease.feedRange)) || taken || lease.continuation !== null) continue;
    if (await context.store.removeUnchanged(lease)) withdrawn.add(lease.id);
  }
  context.counters.leasesCreated -= withdrawn.size;
  return leases.filter((lease) => !withdrawn.has(lease.id));
}
