import { LeaseLost } from './errors.ts';
import type { LeaseDocument } from './lease.ts';
import type { LeaseStore } from './lease-store.ts';

/** A lease this instance holds: its writes are serialized and each carries the latest `_etag` it knows. */
export interface OwnedLease {
  readonly id: string;
  current(): LeaseDocument;
  /** refreshes `renewedAt`; rejects with `LeaseLost` if someone else took the lease */
  renew(): Promise<void>;
  /** stores the continuation and the handled positions of recent streams (and renews); rejects with `LeaseLost` */
  checkpoint(continuation: string, handled?: Record<string, number>): Promise<void>;
  /** stores the final continuation and handled positions, if any, and clears the owner */
  release(continuation: string | undefined, handled?: Record<string, number>): Promise<void>;
}

const maxRefreshes = 3;

export function createOwnedLease(store: LeaseStore, acquired: LeaseDocument, instanceId: string): OwnedLease {
  let current = acquired;
  let queue: Promise<unknown> = Promise.resolve();

  const write = (change: (lease: LeaseDocument, now: string) => LeaseDocument): Promise<void> => {
    const run = queue.then(async () => {
      for (let attempt = 0; attempt < maxRefreshes; attempt += 1) {
        const written = await store.replace(change(current, new Date().toISOString()));
        if (written !== undefined) {
          current = written;
          return;
        }
        // 412: the document changed. Our own writes never race (they are queued), so someone else wrote it:
        // a new owner, or a checkpoint tool that moved the position; only an unrelated touch lets us go on.
        const fresh = await store.read(current.id);
        if (fresh === undefined) throw new LeaseLost(current.id, instanceId, 'the lease document was deleted');
        if (fresh.owner !== instanceId) {
          throw new LeaseLost(current.id, instanceId, `it is now owned by ${fresh.owner ?? 'nobody'}`);
        }
        if (
          fresh.continuation !== current.continuation ||
          JSON.stringify(fresh.startFrom) !== JSON.stringify(current.startFrom)
        ) {
          throw new LeaseLost(current.id, instanceId, 'its checkpoint was changed by a checkpoint tool');
        }
        current = fresh;
      }
      throw new LeaseLost(current.id, instanceId, `it kept changing under ${maxRefreshes} consecutive writes`);
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    id: acquired.id,
    current: () => current,
    renew: () => write((lease, now) => ({ ...lease, renewedAt: now })),
    checkpoint: (continuation, handled) =>
      write((lease, now) => ({
        ...lease,
        continuation,
        startFrom: null,
        renewedAt: now,
        checkpointedAt: now,
        ...(handled === undefined ? {} : { handled }),
      })),
    release: (continuation, handled) =>
      write((lease, now) => ({
        ...lease,
        owner: null,
        renewedAt: null,
        ...(continuation !== undefined && continuation !== lease.continuation
          ? { continuation, startFrom: null, checkpointedAt: now }
          : {}),
        ...(handled === undefined ? {} : { handled }),
      })),
  };
}
