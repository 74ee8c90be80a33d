import { BulkOperationType, type Container } from '@azure/cosmos';
import type { EpkRange } from './epk-range.ts';
import { LeaseCreateFailed } from './errors.ts';
import { Lease, type LeaseDocument } from './lease.ts';
import { queryWithoutPlan } from './planless-query.ts';

/** Reads and writes lease documents; every replace is guarded by the document's `_etag`. */
export interface LeaseStore {
  /** the processor's leases, sorted by id: one query request (no query plan is fetched; see `queryWithoutPlan`) */
  list(): Promise<LeaseDocument[]>;
  read(id: string): Promise<LeaseDocument | undefined>;
  /**
   * creates the lease (owned by `owner` when given) unless another instance already did: the created document, or
   * undefined on 409 (same id, same range). One request: a one-operation batch names the partition key, where
   * `items.create` first reads the container to learn it.
   */
  create(range: EpkRange, owner?: string): Promise<LeaseDocument | undefined>;
  /** replaces `lease` if its `_etag` still matches; undefined when it changed or vanished meanwhile */
  replace(lease: LeaseDocument): Promise<LeaseDocument | undefined>;
  remove(id: string): Promise<void>;
  /** deletes `lease` if its `_etag` still matches; false when it changed or vanished meanwhile */
  removeUnchanged(lease: LeaseDocument): Promise<boolean>;
}

export function createLeaseStore(leases: Container, processor: string): LeaseStore {
  return {
    async list() {
      const resources = await queryWithoutPlan<LeaseDocument>(leases, {
        query: 'SELECT * FROM c WHERE c.processor = @processor',
        parameters: [{ name: '@processor', value: processor }],
      });
      return resources.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async read(id) {
      try {
        const { resource } = await leases.item(id, id).read<LeaseDocument>();
        return resource;
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },

    async create(range, owner) {
      const now = new Date();
      const fresh = Lease.create(processor, range, now);
      const lease =
        owner === undefined ? fresh : { ...fresh, owner, acquiredAt: now.toISOString(), renewedAt: now.toISOString() };
      const response = await leases.items.batch(
        [{ operationType: BulkOperationType.Create, resourceBody: { ...lease, feedRange: { ...lease.feedRange } } }],
        lease.id,
      );
      const outcome = response.result?.[0];
      if (outcome?.statusCode === 409) return undefined;
      if (outcome === undefined || outcome.statusCode >= 400) {
        throw new LeaseCreateFailed(lease.id, outcome?.statusCode ?? response.code);
      }
      return outcome.resourceBody as unknown as LeaseDocument;
    },

    async replace(lease) {
      const { _etag: etag, _ts: _ignored, ...body } = lease;
      try {
        const { resource } = await leases.item(lease.id, lease.id).replace<LeaseDocument>(body as LeaseDocument, {
          accessCondition: { type: 'IfMatch', condition: etag ?? '' },
        });
        return resource;
      } catch (error) {
        const status = statusOf(error);
        if (status === 412 || status === 404) return undefined;
        throw error;
      }
    },

    async removeUnchanged(lease) {
      try {
        await leases
          .item(lease.id, lease.id)
          .delete({ accessCondition: { type: 'IfMatch', condition: lease._etag ?? '' } });
        return true;
      } catch (error) {
        const status = statusOf(error);
        if (status === 412 || status === 404) return false;
        throw error;
      }
    },

    async remove(id) {
      try {
        await leases.item(id, id).delete();
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
    },
  };
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') {
    return error.code;
  }
  return undefined;
}
