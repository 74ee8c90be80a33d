import { describe, expect, it } from 'vitest';
import { Lease, type LeaseDocument, LeaseLost } from '../../../src/feed/index.ts';
import type { LeaseStore } from '../../../src/feed/lease-store.ts';
import { createOwnedLease } from '../../../src/feed/owned-lease.ts';

/** Lease documents in memory with Cosmos's rule: a replace must carry the current `_etag`. */
function memoryLeaseStore() {
  const documents = new Map<string, LeaseDocument>();
  let etags = 0;
  const stamp = (lease: LeaseDocument): LeaseDocument => ({ ...lease, _etag: `"${++etags}"` });
  const store: LeaseStore = {
    list: async () => [...documents.values()],
    read: async (id) => documents.get(id),
    async create(range) {
      const lease = stamp(Lease.create('p', range, new Date()));
      if (documents.has(lease.id)) return undefined;
      documents.set(lease.id, lease);
      return lease;
    },
    async replace(lease) {
      const current = documents.get(lease.id);
      if (current === undefined || current._etag !== lease._etag) return undefined;
      const written = stamp(lease);
      documents.set(lease.id, written);
      return written;
    },
    async remove(id) {
      documents.delete(id);
    },
    async removeUnchanged(lease) {
      if (documents.get(lease.id)?._etag !== lease._etag) return false;
      return documents.delete(lease.id);
    },
  };
  /** a write by someone else: another instance or a checkpoint tool */
  const touch = (id: string, change: Partial<LeaseDocument>) => {
    const current = documents.get(id);
    if (current !== undefined) documents.set(id, stamp({ ...current, ...change }));
  };
  return { store, documents, touch };
}

async function ownedBy(instance: string) {
  const memory = memoryLeaseStore();
  await memory.store.create({ minInclusive: '', maxExclusive: 'FF' });
  const [lease] = await memory.store.list();
  const taken = await memory.store.replace({ ...(lease as LeaseDocument), owner: instance });
  return { ...memory, owned: createOwnedLease(memory.store, taken as LeaseDocument, instance) };
}

describe('an owned lease', () => {
  it('renews and checkpoints with the latest etag it holds', async () => {
    const { owned, documents } = await ownedBy('me');
    await owned.renew();
    await owned.checkpoint('c1');
    await owned.renew();
    expect(documents.get(owned.id)).toMatchObject({ owner: 'me', continuation: 'c1' });
  });

  it('is lost when another instance has taken it over', async () => {
    const { owned, touch } = await ownedBy('me');
    touch(owned.id, { owner: 'other' });
    await expect(owned.renew()).rejects.toBeInstanceOf(LeaseLost);
  });

  it('is lost when a checkpoint tool moved its position, so that the range is re-read from the new one', async () => {
    const { owned, touch } = await ownedBy('me');
    touch(owned.id, { continuation: null, startFrom: { kind: 'beginning' } });
    await expect(owned.checkpoint('c1')).rejects.toBeInstanceOf(LeaseLost);
  });

  it('carries on after a write that changed neither owner nor position', async () => {
    const { owned, touch, documents } = await ownedBy('me');
    touch(owned.id, { renewedAt: new Date(0).toISOString() });
    await owned.checkpoint('c2');
    expect(documents.get(owned.id)?.continuation).toBe('c2');
  });

  it('clears the owner and keeps the final checkpoint when released', async () => {
    const { owned, documents } = await ownedBy('me');
    await owned.release('c3');
    expect(documents.get(owned.id)).toMatchObject({ owner: null, continuation: 'c3', renewedAt: null });
  });
});
