import { ChangeFeedStartFrom, type Container } from '@azure/cosmos';
import { behindMsOf, countPendingChanges } from '../feed/index.ts';

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
  /** changed documents after the checkpoint (latest-version feed: a document changed twice counts once) */
  readonly pendingChanges: number;
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
  /** stop counting a range after this many changes; default 10,000 */
  readonly maxChangesPerRange?: number;
}

/**
 * How far a Cosmos DB trigger's checkpoints are behind the head of the change feed, read from the Functions host's
 * own lease documents. Each lease's checkpoint (an LSN etag) and feed range become a change-feed continuation for
 * the JS SDK, from which the backlog is counted like `estimateLag` counts it for Tributary's processor. Leases
 * without a checkpoint count from the beginning (the bank's triggers start from the beginning).
 */
export async function estimateTriggerLag(options: TriggerLagOptions): Promise<TriggerRangeLag[]> {
  const maxChanges = options.maxChangesPerRange ?? 10_000;
  const { resources: leases } = await options.leases.items
    .query<TriggerLeaseDocument>({
      query: 'SELECT * FROM c WHERE STARTSWITH(c.id, @prefix) AND IS_DEFINED(c.LeaseToken)',
      parameters: [{ name: '@prefix', value: options.leasePrefix }],
    })
    .fetchAll();
  if (leases.length === 0) return [];
  const { resource: container } = await options.monitored.read();
  const rid = container?._rid;
  if (!rid) throw new Error(`Container ${options.monitored.id} has no _rid; cannot read its change feed by range.`);
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
      const { pendingChanges, capped, oldestPendingAt } = await countPendingChanges(
        options.monitored,
        ChangeFeedStartFrom.Continuation(continuation),
        maxChanges,
      );
      return {
        leaseId: lease.id,
        leaseToken: lease.LeaseToken,
        owner: lease.Owner ?? undefined,
        pendingChanges,
        capped,
        behindMs: behindMsOf(oldestPendingAt),
      };
    }),
  );
}
