import type { StreamSpan } from '../core/index.ts';

/** Spans a trigger adapter could not hand yet, waiting in this process for the older events before them. */
export interface HeldSpan {
  readonly spans: readonly StreamSpan[];
  /** the stream has no handled position: it waits for its very first versions (from the beginning of the feed) */
  readonly atStart: boolean;
}

/** Held spans by stream, bounded: past `capacity` the stream held longest is dropped (and returned to be reported). */
export function createHeldSpans(capacity: number) {
  const held = new Map<string, HeldSpan>();
  return {
    take(stream: string): HeldSpan | undefined {
      const entry = held.get(stream);
      held.delete(stream);
      return entry;
    },
    hold(stream: string, entry: HeldSpan): string | undefined {
      held.set(stream, entry);
      if (held.size <= capacity) return undefined;
      const oldest = held.keys().next().value as string;
      held.delete(oldest);
      return oldest;
    },
    streams: (): string[] => [...held.keys()],
    get size() {
      return held.size;
    },
  };
}
