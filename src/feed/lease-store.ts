import type { Container } from '@azure/cosmos';
import type { EpkRange } from './epk-range.ts';
import { Lease, type LeaseDocument } from './lease.ts';

/** Reads and writes lease documents; every replace is guarded by the document's `_etag`. */
export interface LeaseStore {
  list(): Promise<LeaseDocument[]>;
  read(id: string): Promise<LeaseDocument | undefined>;
  /** creates the lease unless another instance already did (409 is fine: same id, same range) */
  create(range: EpkRange): Promise<void>;
  /** replaces `lease` if its `_etag` still matches; undefined when it changed or vanished meanwhile */
  replace(lease: LeaseDocument): Promise<LeaseDocument | undefined>;
  remove(id: string): Promise<void>;
  /** deletes `lease` if its `_etag` still matches; false when it changed or vanished meanwhile */
  removeUnchanged(lease: LeaseDocument): Promise<boolean>;
}

export function createLeaseStore(leases: Container, processor: string): LeaseStore {
  return {
    async list() {
      const { resources } = await leases.items
        .query<LeaseDocument>({
          query: 'SELECT * FROM c WHERE c.processor = @processor',
          parameters: [{ name: '@processor', value: processor }],
        })
        .fetchAll();
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

    async create(range) {
      try {
        await leases.items.create(Lease.create(processor, range, new Date()));
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
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
