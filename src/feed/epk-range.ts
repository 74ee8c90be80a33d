/**
 * Effective-partition-key (EPK) ranges: `[minInclusive, maxExclusive)` over upper-case hex strings, from `""` to
 * `"FF"`. Cosmos compares EPKs as strings, and so does the SDK, so plain string comparison is the order here too.
 */
export interface EpkRange {
  readonly minInclusive: string;
  readonly maxExclusive: string;
}

export const EpkRange = {
  key(range: EpkRange): string {
    return `${range.minInclusive}-${range.maxExclusive}`;
  },

  overlaps(a: EpkRange, b: EpkRange): boolean {
    return a.minInclusive < b.maxExclusive && b.minInclusive < a.maxExclusive;
  },

  /** The ranges of `candidates` that overlap any range of `others`. */
  overlapping(candidates: readonly EpkRange[], others: readonly EpkRange[]): EpkRange[] {
    return candidates.filter((candidate) => others.some((other) => EpkRange.overlaps(candidate, other)));
  },

  /**
   * The parts of `ranges` (the container's current feed ranges) not covered by any of `covered` (the ranges that
   * already have a lease). After a split the children lie inside their parent's lease and yield nothing, so no
   * duplicate lease is created; EPK space without a lease (a new container, a lost lease document) yields a segment.
   */
  uncovered(ranges: readonly EpkRange[], covered: readonly EpkRange[]): EpkRange[] {
    const sorted = [...covered].sort((a, b) => compare(a.minInclusive, b.minInclusive));
    const result: EpkRange[] = [];
    for (const range of ranges) {
      let cursor = range.minInclusive;
      for (const lease of sorted) {
        if (lease.maxExclusive <= cursor || !EpkRange.overlaps(lease, range)) continue;
        if (lease.minInclusive > cursor) result.push({ minInclusive: cursor, maxExclusive: lease.minInclusive });
        if (lease.maxExclusive > cursor) cursor = lease.maxExclusive;
        if (cursor >= range.maxExclusive) break;
      }
      if (cursor < range.maxExclusive) result.push({ minInclusive: cursor, maxExclusive: range.maxExclusive });
    }
    return result;
  },
};

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
