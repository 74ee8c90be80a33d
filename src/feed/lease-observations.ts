import type { LeaseDocument } from './lease.ts';

/**
 * When this instance last saw each lease document change, by its own monotonic clock. A lease whose `_etag` has not
 * changed for longer than the expiry was not renewed by its owner: expiry is judged without comparing this machine's
 * clock with the owner's (`renewedAt` is written for people and tools, never trusted across machines). The price: an
 * instance that has just started waits one expiry before it takes over a lease it finds owned.
 */
export class LeaseObservations {
  private readonly seen = new Map<string, { readonly etag: string | undefined; readonly at: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Records the leases as listed now; leases no longer listed are forgotten. */
  observe(leases: readonly LeaseDocument[]): void {
    const at = this.now();
    const listed = new Set<string>();
    for (const lease of leases) {
      listed.add(lease.id);
      const known = this.seen.get(lease.id);
      if (known === undefined || known.etag !== lease._etag) this.seen.set(lease.id, { etag: lease._etag, at });
    }
    for (const id of this.seen.keys()) if (!listed.has(id)) this.seen.delete(id);
  }

  /** Free to take: released, or unchanged for longer than `expiryMs` since this instance first saw it so. */
  expired(lease: LeaseDocument, expiryMs: number): boolean {
    if (lease.owner === null) return true;
    const known = this.seen.get(lease.id);
    if (known === undefined || known.etag !== lease._etag) return false;
    return this.now() - known.at > expiryMs;
  }
}
