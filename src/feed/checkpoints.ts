import type { Container } from '@azure/cosmos';
import type { EpkRange } from './epk-range.ts';
import { LeaseContended } from './errors.ts';
import type { LeaseDocument, StartMarker } from './lease.ts';
import { createLeaseStore } from './lease-store.ts';

/** Which processor's leases a tool works on. */
export interface ProcessorLeases {
  readonly leases: Container;
  /** the processor name */
  readonly name: string;
}

/** One sub-range of a continuation: after a split, one checkpoint holds a position per child range. */
export interface FeedPosition {
  readonly feedRange: EpkRange;
  /** the LSN-based change-feed position (the service's etag) of that range, absent before its first read */
  readonly position: string | undefined;
}

export interface Checkpoint {
  readonly leaseId: string;
  readonly feedRange: EpkRange;
  readonly owner: string | undefined;
  /** the positions in the stored continuation; empty when the lease has no checkpoint yet */
  readonly positions: readonly FeedPosition[];
  /** the raw continuation token, as stored */
  readonly continuation: string | undefined;
  /** a pending rewind: where the next owner will start */
  readonly startFrom: StartMarker | undefined;
  readonly lastCheckpointAt: Date | undefined;
  readonly lastRenewedAt: Date | undefined;
}

/** Per range: owner, checkpoint position and when it was last written. */
export async function listCheckpoints({ leases, name }: ProcessorLeases): Promise<Checkpoint[]> {
  const documents = await createLeaseStore(leases, name).list();
  return documents.map((lease) => ({
    leaseId: lease.id,
    feedRange: lease.feedRange,
    owner: lease.owner ?? undefined,
    positions: positionsOf(lease.continuation),
    continuation: lease.continuation ?? undefined,
    startFrom: lease.startFrom ?? undefined,
    lastCheckpointAt: dateOf(lease.checkpointedAt),
    lastRenewedAt: dateOf(lease.renewedAt),
  }));
}

/**
 * Makes every lease start again from `to` (a time, or the beginning) instead of its checkpoint. Running owners
 * notice at their next renewal (the checkpoint changed under them), drop the range and re-acquire it from the
 * marker; best done with the processor stopped. Returns how many leases were rewound.
 * @throws LeaseContended when a lease keeps changing under 5 attempts (a running processor)
 */
export function rewindCheckpoints({ leases, name }: ProcessorLeases, to: Date | 'beginning'): Promise<number> {
  const startFrom: StartMarker = to === 'beginning' ? { kind: 'beginning' } : { kind: 'time', at: to.toISOString() };
  return updateAll(leases, name, (lease) => ({
    ...lease,
    continuation: null,
    startFrom,
    checkpointedAt: null,
    handled: null,
  }));
}

/** Forgets every checkpoint and rewind marker: the next owners start from the processor's `startFrom` option. */
export function resetCheckpoints({ leases, name }: ProcessorLeases): Promise<number> {
  return updateAll(leases, name, (lease) => ({
    ...lease,
    continuation: null,
    startFrom: null,
    checkpointedAt: null,
    handled: null,
  }));
}

/** Deletes every lease document of the processor (stop its instances first). Returns how many were deleted. */
export async function deleteProcessor({ leases, name }: ProcessorLeases): Promise<number> {
  const store = createLeaseStore(leases, name);
  const documents = await store.list();
  for (const lease of documents) await store.remove(lease.id);
  return documents.length;
}

const maxAttempts = 5;

async function updateAll(
  leases: Container,
  name: string,
  change: (lease: LeaseDocument) => LeaseDocument,
): Promise<number> {
  const store = createLeaseStore(leases, name);
  let updated = 0;
  for (const listed of await store.list()) {
    let lease: LeaseDocument | undefined = listed;
    for (let attempt = 0; lease !== undefined; attempt += 1) {
      if (attempt === maxAttempts) throw new LeaseContended(listed.id, maxAttempts);
      if ((await store.replace(change(lease))) !== undefined) {
        updated += 1;
        break;
      }
      lease = await store.read(listed.id);
    }
  }
  return updated;
}

function dateOf(value: string | null): Date | undefined {
  return value === null ? undefined : new Date(value);
}

interface ContinuationJson {
  Continuation?: Array<{ minInclusive?: string; maxExclusive?: string; continuationToken?: string | null }>;
}

/** Reads the SDK's composite continuation (`{ rid, Continuation: [{ minInclusive, maxExclusive, continuationToken }] }`). */
export function positionsOf(continuation: string | null): FeedPosition[] {
  if (continuation === null) return [];
  try {
    const parsed = JSON.parse(continuation) as ContinuationJson;
    return (parsed.Continuation ?? []).map((entry) => ({
      feedRange: { minInclusive: entry.minInclusive ?? '', maxExclusive: entry.maxExclusive ?? '' },
      position: entry.continuationToken ? entry.continuationToken : undefined,
    }));
  } catch {
    return [];
  }
}
