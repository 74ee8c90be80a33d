import type { EpkRange } from './epk-range.ts';

/** Where a lease's next owner starts when it has no continuation: set by `rewindCheckpoints`. */
export type StartMarker = { readonly kind: 'beginning' } | { readonly kind: 'time'; readonly at: string };

/**
 * One lease document per feed range and processor, in the leases container (partition key `/id`).
 * `id` = `${processor}..${minInclusive}-${maxExclusive}` (EPKs are hex, so the id is unambiguous and readable; the
 * first range of a container starts at `""`, giving e.g. `projector..-3FFF…`). Every write is guarded by `_etag`.
 */
export interface LeaseDocument {
  id: string;
  /** the processor name (consumer group) this lease belongs to */
  processor: string;
  /** the EPK range, as the SDK's `FeedRange` (`minInclusive`/`maxExclusive`) from `container.getFeedRanges()` */
  feedRange: EpkRange;
  /** the instance reading the range, or null when released */
  owner: string | null;
  /** the SDK change-feed continuation token (JSON) of the checkpoint, or null before the first checkpoint */
  continuation: string | null;
  /** a rewind request: used (instead of the processor's `startFrom`) while `continuation` is null */
  startFrom: StartMarker | null;
  createdAt: string;
  acquiredAt: string | null;
  /**
   * written by the owner at every renewal (for people and tools): the write changes `_etag`, and a lease whose `_etag`
   * another instance has seen unchanged for longer than the expiry, by its own clock, is free to take over
   */
  renewedAt: string | null;
  checkpointedAt: string | null;
  /**
   * handled positions (the next version to handle) of the range's recently active streams when the checkpoint was
   * written: the next owner does not hand those streams events below them again. Absent in leases written before it.
   */
  handled?: Record<string, number> | null;
  _etag?: string;
  _ts?: number;
}

export const Lease = {
  id(processor: string, range: EpkRange): string {
    return `${processor}..${range.minInclusive}-${range.maxExclusive}`;
  },

  create(processor: string, range: EpkRange, now: Date): LeaseDocument {
    return {
      id: Lease.id(processor, range),
      processor,
      feedRange: { minInclusive: range.minInclusive, maxExclusive: range.maxExclusive },
      owner: null,
      continuation: null,
      startFrom: null,
      createdAt: now.toISOString(),
      acquiredAt: null,
      renewedAt: null,
      checkpointedAt: null,
    };
  },
};
