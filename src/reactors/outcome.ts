import type { HandlerOutcome } from '../streams/index.ts';

/**
 * A reactor's answer when a prerequisite is missing (typically another stream's data not projected yet): the
 * scheduler offers the same events again later, without blocking other streams, and parks the stream with this
 * reason once its `notYet` bounds are exhausted (when parking is configured).
 */
export function notYet(reason: string): HandlerOutcome {
  return { kind: 'notYet', reason };
}

/** A reactor's answer when it has reflected the stream up to (not including) `nextIndex`, possibly past its span. */
export function handledUpTo(nextIndex: bigint): HandlerOutcome {
  return { kind: 'handled', nextIndex };
}
