/** What an instance knows about one lease when it decides what to acquire. */
export interface LeaseView {
  readonly id: string;
  /** the owning instance, or undefined when nobody owns it */
  readonly owner: string | undefined;
  /** not renewed within the expiry: free for anyone to take */
  readonly expired: boolean;
}

/** What one instance should do in one acquire cycle. */
export interface LeaseDecision {
  /** unowned or expired leases to take, in order */
  readonly acquire: readonly string[];
  /** at most one lease to take from the most loaded owner */
  readonly steal: string | undefined;
}

export const noDecision: LeaseDecision = { acquire: [], steal: undefined };

/**
 * Equal-share balancing, decided from a snapshot of the lease documents. Active instances are the owners of
 * unexpired leases plus `me`; each aims at `target = ceil(leases / active)`. An instance below its target first
 * takes free (unowned or expired) leases; only when none is free does it steal, and then a single lease per cycle
 * from the most loaded owner, and only if that owner is above the target (or at the target when `me` needs two or
 * more). A victim therefore never drops below what it would itself need to steal back, so shares converge to
 * `target - 1` or `target` each and then nothing moves. `spreadKey` (default `me`) picks where in the free leases an
 * instance starts taking, so that instances starting together try different leases first.
 */
export function decideLeases(me: string, leases: readonly LeaseView[], spreadKey: string = me): LeaseDecision {
  if (leases.length === 0) return noDecision;
  const counts = new Map<string, string[]>([[me, []]]);
  const free: string[] = [];
  for (const lease of leases) {
    if (lease.owner === undefined || lease.expired) {
      free.push(lease.id);
      continue;
    }
    const owned = counts.get(lease.owner) ?? [];
    owned.push(lease.id);
    counts.set(lease.owner, owned);
  }
  const target = Math.ceil(leases.length / counts.size);
  const need = target - (counts.get(me)?.length ?? 0);
  if (need <= 0) return noDecision;
  if (free.length > 0) return { acquire: rotate(free.sort(), spreadKey).slice(0, need), steal: undefined };

  let victim: { owner: string; ids: string[] } | undefined;
  for (const [owner, ids] of counts) {
    if (owner === me) continue;
    if (
      victim === undefined ||
      ids.length > victim.ids.length ||
      (ids.length === victim.ids.length && owner < victim.owner)
    ) {
      victim = { owner, ids };
    }
  }
  const threshold = target - (need > 1 ? 1 : 0);
  if (victim === undefined || victim.ids.length <= threshold) return noDecision;
  return { acquire: [], steal: [...victim.ids].sort()[0] };
}

/** Instances that start together would all race for the same first free lease; start each at its own offset. */
function rotate(ids: string[], key: string): string[] {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const offset = hash % ids.length;
  return [...ids.slice(offset), ...ids.slice(0, offset)];
}
