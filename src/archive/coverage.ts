import type { VersionRange } from './segment.ts';

/** Per stream, the versions the archive's index lists and the segments that hold them. */
export type Coverage = Map<string, { ranges: VersionRange[]; segments: Set<string> }>;

/** Merges overlapping or touching ranges into disjoint ones, in order. */
export function mergeRanges(ranges: readonly VersionRange[]): VersionRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** True when the ranges hold every version in `[from, to)`. */
export function covers(ranges: readonly VersionRange[], from: number, to: number): boolean {
  if (to <= from) return true;
  return mergeRanges(ranges).some(([start, end]) => start <= from && to <= end);
}
