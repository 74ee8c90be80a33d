import type { RangeStart } from '../feed/sink.ts';

/** A stream's first write position, as its lease's start tells it. */
export type StreamBase =
  /** carried with the checkpoint: events below it were handled */
  | { readonly kind: 'handled'; readonly position: number }
  /** the range is read from the beginning: the stream starts at 0 until the reader reaches the head of the feed */
  | { readonly kind: 'beginning' }
  /** read from a checkpoint, "now" or a time: the first span handed sets the base */
  | { readonly kind: 'firstSeen' };

const beginning: StreamBase = { kind: 'beginning' };
const firstSeen: StreamBase = { kind: 'firstSeen' };

/**
 * What the scheduler knows about where each lease's range started. A lease it was never told about counts as read
 * from the beginning (pages fed without a processor): a stream then waits for version 0 rather than losing events.
 */
export class RangeStarts {
  private readonly starts = new Map<string, { fromBeginning: boolean; handled: Map<string, number> }>();

  open(leaseToken: string, start: RangeStart): void {
    this.starts.set(leaseToken, {
      fromBeginning: start.fromBeginning,
      handled: new Map(Object.entries(start.handled)),
    });
  }

  forget(leaseToken: string): void {
    this.starts.delete(leaseToken);
  }

  baseOf(leaseToken: string, stream: string): StreamBase {
    const start = this.starts.get(leaseToken);
    if (start === undefined) return beginning;
    const handled = start.handled.get(stream);
    if (handled !== undefined) return { kind: 'handled', position: handled };
    return start.fromBeginning ? beginning : firstSeen;
  }
}
