import type { Container } from '@azure/cosmos';
import { estimateLag, listCheckpoints } from '../feed/index.ts';
import type { LeaseStatus } from './dashboard-model.ts';

const rangeLabel = (range: { minInclusive: string; maxExclusive: string }) =>
  `${range.minInclusive || '00'}-${range.maxExclusive}`;

/**
 * The dashboard's row per lease of a processor: owner, checkpoint age, and lag behind the change feed (a query of
 * its leases and one change-feed read per range, counting at most 1,000 pending changes per range).
 */
export async function sampleLeaseStatus(
  name: string,
  containers: { readonly events: Container; readonly leases: Container },
  now: number,
): Promise<LeaseStatus[]> {
  const [checkpoints, lag] = await Promise.all([
    listCheckpoints({ leases: containers.leases, name }),
    estimateLag({ monitored: containers.events, leases: containers.leases, name, maxChangesPerRange: 1_000 }),
  ]);
  return checkpoints.map((checkpoint) => {
    const rangeLag = lag.find((candidate) => candidate.leaseId === checkpoint.leaseId);
    return {
      range: rangeLabel(checkpoint.feedRange),
      owner: checkpoint.owner ?? null,
      checkpointAgeMs: checkpoint.lastCheckpointAt ? now - checkpoint.lastCheckpointAt.getTime() : undefined,
      lag: rangeLag?.pendingChanges,
      behindMs: rangeLag?.behindMs,
      caughtUp: rangeLag !== undefined && rangeLag.pendingChanges === 0,
    };
  });
}
