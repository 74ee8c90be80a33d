/**
 * The handled positions of each lease's most recently advanced streams, bounded per lease: what travels with the
 * lease's checkpoint so that its next owner does not hand those streams' tips again.
 *
 * A stream advances once per handled span, and the positions are asked for once per checkpoint: each advance is
 * appended to the lease's log (no lookup), and the log is cut down to its `limit` most recent streams when asked
 * for, or when it holds four times that many entries.
 */
export class RecentPositions {
  private readonly byLease = new Map<string, LeaseLog>();

  constructor(private readonly limit: number) {}

  record(leaseToken: string, stream: string, position: number): void {
    if (this.limit === 0) return;
    let log = this.byLease.get(leaseToken);
    if (log === undefined) {
      log = { streams: [], positions: [] };
      this.byLease.set(leaseToken, log);
    }
    log.streams.push(stream);
    log.positions.push(position);
    if (log.streams.length >= this.limit * 4 + 64) compact(log, this.limit);
  }

  of(leaseToken: string): Record<string, number> {
    const log = this.byLease.get(leaseToken);
    if (log === undefined) return {};
    compact(log, this.limit);
    const handled: Record<string, number> = {};
    for (let k = 0; k < log.streams.length; k++) handled[log.streams[k]!] = log.positions[k]!;
    return handled;
  }

  forget(leaseToken: string): void {
    this.byLease.delete(leaseToken);
  }
}

/** A lease's advances, oldest first: `streams[k]` reached `positions[k]`. */
interface LeaseLog {
  streams: string[];
  positions: number[];
}

/** Keeps each stream's latest advance, of the `limit` streams that advanced last, oldest first. */
function compact(log: LeaseLog, limit: number): void {
  const seen = new Set<string>();
  const streams: string[] = [];
  const positions: number[] = [];
  for (let k = log.streams.length - 1; k >= 0 && streams.length < limit; k--) {
    const stream = log.streams[k]!;
    if (seen.has(stream)) continue;
    seen.add(stream);
    streams.push(stream);
    positions.push(log.positions[k]!);
  }
  log.streams = streams.reverse();
  log.positions = positions.reverse();
}
