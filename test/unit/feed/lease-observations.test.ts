import { describe, expect, it } from 'vitest';
import { Lease, type LeaseDocument } from '../../../src/feed/lease.ts';
import { LeaseObservations } from '../../../src/feed/lease-observations.ts';

const range = { minInclusive: '', maxExclusive: 'FF' };
const owned = (etag: string, renewedAt: string): LeaseDocument => ({
  ...Lease.create('p', range, new Date(0)),
  owner: 'other',
  renewedAt,
  _etag: etag,
});

describe('lease expiry judged by the observer’s own clock', () => {
  it('expires a lease whose ETag this instance has seen unchanged for longer than the expiry', () => {
    let now = 0;
    const observations = new LeaseObservations(() => now);
    const lease = owned('"1"', '2000-01-01T00:00:00.000Z');
    observations.observe([lease]);
    now = 1_000;
    expect(observations.expired(lease, 1_500)).toBe(false);
    now = 1_501;
    expect(observations.expired(lease, 1_500)).toBe(true);
  });

  it('never expires a lease whose ETag keeps changing, whatever its renewedAt says', () => {
    let now = 0;
    const observations = new LeaseObservations(() => now);
    for (let round = 0; round < 10; round++) {
      now += 1_000;
      const lease = owned(`"${round}"`, '1999-01-01T00:00:00.000Z');
      observations.observe([lease]);
      expect(observations.expired(lease, 1_500)).toBe(false);
    }
  });

  it('does not expire a lease it has not observed, nor one read since with another ETag', () => {
    let now = 0;
    const observations = new LeaseObservations(() => now);
    const lease = owned('"1"', '2000-01-01T00:00:00.000Z');
    expect(observations.expired(lease, 10)).toBe(false);
    observations.observe([lease]);
    now = 100;
    expect(observations.expired({ ...lease, _etag: '"2"' }, 10)).toBe(false);
  });

  it('counts a released lease as free at once', () => {
    const observations = new LeaseObservations(() => 0);
    expect(observations.expired({ ...owned('"1"', '2000-01-01T00:00:00.000Z'), owner: null }, 1_500)).toBe(true);
  });
});
