import { ChangeFeedStartFrom, type Container } from '@azure/cosmos';
import { TributaryError } from '../core/index.ts';
import { feedContainer } from '../feed/feed-container.ts';
import { behindMsOf, countPendingChanges, estimatePendingChanges } from '../feed/index.ts';
import { queryWithoutPlan } from '../feed/planless-query.ts';

/**
 * A lease of the Azure Functions Cosmos DB trigger, as the host's change feed processor (the .NET SDK's) stores it
 * in the lease container: one per feed range, named `<leaseContainerPrefix><account>_<db>_<container>..<token>`.
 */
interface TriggerLeaseDocument {
  readonly id: string;
  readonly LeaseToken?: string;
  readonly FeedRange?: { readonly Range?: { readonly min?: string; readonly max?: string } };
  readonly Owner?: string | null;
  /** the checkpoint: the LSN etag of the range, e.g. `"24"`; null before the first checkpoint */
  readonly ContinuationToken?: string | null;
  readonly timestamp?: string;
}

export interface TriggerRangeLag {
  readonly leaseId: string;
  readonly leaseToken: string | undefined;
  readonly owner: string | undefined;
  /**
   * changes after the checkpoint: an LSN estimate by default (writes since the oldest pending change), a count of
   * changed documents with `exact`; 0 exactly when caught up, either way
   */
  readonly pendingChanges: number;
  /** true when `pendingChanges` is an LSN estimate rather than a count */
  readonly estimated: boolean;
  /** true when counting stopped at `maxChangesPerRange` */
  readonly capped: boolean;
  /** how old the oldest change not yet checkpointed is; 0 when caught up */
  readonly behindMs: number;
}

export interface TriggerLagOptions {
  readonly monitored: Container;
  readonly leases: Container;
  /** the trigger's `leaseContainerPrefix` */
  readonly leasePrefix: string;
  /** count the pending changes by reading them instead of estimating them from LSNs; default false */
  readonly exact?: boolean;
  /** with `exact`: stop counting a range after this many changes; default 10,000 */
  readonly maxChangesPerRange?: number;
}

/**
 * How far a Cosmos DB trigger's checkpoints are behind the head of the change feed, read from the Functions host's
 * own lease documents. Each lease's checkpoint (an LSN etag) and feed range become a change-feed continuation for
 * the JS SDK, from which the backlog is estimated from LSNs (one read of one item per lease) or, with `exact`,
 * counted, like `estimateLag` does for Tributary's processor. Leases without a checkpoint count from the beginning
 * (the bank's triggers start from the beginning). Cost: the lease query (one request: no query plan is fetched), the container's `_rid` (read once per
 * container and kept), then one request per lease.
 * @throws NoContainerRid when the monitored container has no `_rid`
 */
export async function estimateTriggerLag(options: TriggerLagOptions): Promise<TriggerRangeLag[]> {
  const maxChanges = options.maxChangesPerRange ?? 10_000;
  const leases = await queryWithoutPlan<TriggerLeaseDocument>(options.leases, {
    query: 'SELECT * FROM c WHERE STARTSWITH(c.id, @prefix) AND IS_DEFINED(c.LeaseToken)',
    parameters: [{ name: '@prefix', value: options.leasePrefix }],
  });
  if (leases.length === 0) return [];
  const monitored = feedContainer(options.monitored);
  const { resource: container } = await monitored.read();
  const rid = container?._rid;
  if (!rid) throw new NoContainerRid(options.monitored.id);
  return Promise.all(
    leases.map(async (lease): Promise<TriggerRangeLag> => {
      const range = lease.FeedRange?.Range ?? { min: '', max: 'FF' };
      // The JS SDK's continuation for one range: the container's rid and the range with the LSN etag to start after.
      const continuation = JSON.stringify({
        rid,
        Continuation: [
          {
            minInclusive: range.min ?? '',
            maxExclusive: range.max ?? 'FF',
            continuationToken: lease.ContinuationToken ?? undefined,
          },
        ],
      });
      const start = ChangeFeedStartFrom.Continuation(continuation);
      const { pendingChanges, capped, oldestPendingAt } = options.exact
        ? await countPendingChanges(monitored, start, maxChanges)
        : await estimatePendingChanges(monitored, start);
      return {
        leaseId: lease.id,
        leaseToken: lease.LeaseToken,
        owner: lease.Owner ?? undefined,
        pendingChanges,
        estimated: options.exact !== true,
        capped,
        behindMs: behindMsOf(oldestPendingAt),
      };
    }),
  );
}

/** The monitored container's answer has no `_rid`, so its change feed cannot be read by range. */
export class NoContainerRid extends TributaryError {
  readonly code = 'NoContainerRid';
  constructor(readonly container: string) {
    super(`Container ${container} has no _rid; cannot read its change feed by range.`);
  }
}
