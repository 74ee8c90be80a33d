/**
 * How far each stream has been handled by this process, to drop events a redelivered batch repeats. Bounded: the
 * least recently used streams are forgotten first (their handlers are idempotent, so forgetting costs only a repeat).
 */
export interface StreamPositions {
  get(stream: string): bigint | undefined;
  /** records `next` (the version after the last handled event); never moves a stream backwards */
  advance(stream: string, next: bigint): void;
  readonly size: number;
}

export function createStreamPositions(capacity: number): StreamPositions {
  const positions = new Map<string, bigint>();
  return {
    get(stream) {
      return positions.get(stream);
    },
    advance(stream, next) {
      const current = positions.get(stream);
      positions.delete(stream);
      positions.set(stream, current !== undefined && current > next ? current : next);
      if (positions.size > capacity) {
        const oldest = positions.keys().next();
        if (!oldest.done) positions.delete(oldest.value);
      }
    },
    get size() {
      return positions.size;
    },
  };
}
