/**
 * The handled positions of each lease's most recently advanced streams, bounded per lease: what travels with the
 * lease's checkpoint so that its next owner does not hand those streams' tips again. Insertion order is recency
 * (a stream that advances is moved to the end), so the oldest entry is the one dropped.
 */
export class RecentPositions {
  private readonly byLease = new Map<string, Map<string, number>>();

  constructor(private readonly limit: number) {}

  record(leaseToken: string, stream: string, position: number): void {
    if (this.limit === 0) return;
    let positions = this.byLease.get(leaseToken);
    if (positions === undefined) {
      positions = new Map();
      this.byLease.set(leaseToken, positions);
    }
    positions.delete(stream);
    positions.set(stream, position);
    if (positions.size > this.limit) positions.delete(positions.keys().next().value as string);
  }

  of(leaseToken: string): Record<string, number> {
    return Object.fromEntries(this.byLease.get(leaseToken) ?? []);
  }

  forget(leaseToken: string): void {
    this.byLease.delete(leaseToken);
  }
}
