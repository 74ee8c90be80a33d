import { DeadLetter } from './dead-letter-store.ts';
import type { StreamState } from './stream-state.ts';

/** A stream that needs attention, as the stats report it. */
export interface StreamAttention {
  readonly stream: string;
  /** failed attempts in a row (0 for a stream that is only stalled) */
  readonly attempts: number;
  readonly error?: { readonly name: string; readonly message: string };
  /** how long it has been failing / without progress */
  readonly forMs: number;
}

/** A snapshot of the scheduler: `scheduler.stats()`. Counters are totals since the scheduler was created. */
export interface SchedulerStats {
  readonly name: string;
  readonly streams: {
    /** streams the scheduler holds state for */
    readonly known: number;
    /** handler running */
    readonly active: number;
    /** ready, waiting for a handler slot */
    readonly queued: number;
    /** answered `notYet` and waits to be asked again */
    readonly waiting: number;
    /** the last attempt failed (retrying, held, or about to be parked) */
    readonly failing: number;
    /** work pending but no progress for `stallAfterMs` */
    readonly stalled: number;
    readonly parked: number;
  };
  readonly handled: { readonly events: number; readonly spans: number };
  readonly failures: number;
  readonly notYet: number;
  /** events dropped because they were at or below the stream's write position (re-delivered by the feed) */
  readonly duplicates: number;
  /** documents passed over because they are not Tributary (or Equinox) event documents (another writer's) */
  readonly foreignDocuments: number;
  /** dead-letter writes that failed (and are being retried; the stream's pages stay held meanwhile) */
  readonly parkingFailures: number;
  readonly eventsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly samples: number };
  readonly buffered: { readonly events: number; readonly pages: number };
  /**
   * `open`: streams whose next events wait for earlier versions; `skippedAtStart`: versions never seen of streams
   * that were still waiting for their first events when their range's reader reached the head of the feed
   */
  readonly gaps: {
    readonly open: number;
    readonly stale: number;
    readonly oldestMs: number;
    readonly skippedAtStart: number;
  };
  /**
   * How far handling is behind the change feed, from what this instance has read: the age of the oldest change
   * (its `_ts`, whole seconds) in a page not yet handled; 0 when every page read is handled. Free to compute, but
   * blind to changes not read yet (a reader held back by `maxReadAhead` reads on only as pages complete); for the
   * backlog still in Cosmos, per range, use `estimateLag` (it reads the feed).
   */
  readonly lag: { readonly behindMs: number; readonly oldestPendingChangeAt: Date | undefined };
  /** up to 20 of each, worst first */
  readonly failing: readonly StreamAttention[];
  readonly stalled: readonly StreamAttention[];
  readonly parked: readonly string[];
}

const maxListed = 20;

/** Walks the streams once (only when stats are asked for, never while dispatching) for what needs attention. */
export function surveyStreams(
  states: Iterable<StreamState>,
  now: number,
  limits: { readonly stallAfterMs: number; readonly gapWarningAfterMs: number },
) {
  const streams = { queued: 0, waiting: 0, failing: 0, stalled: 0, parked: 0 };
  const failing: StreamAttention[] = [];
  const stalled: StreamAttention[] = [];
  const parked: string[] = [];
  let stale = 0;
  let oldestMs = 0;
  for (const state of states) {
    if (state.phase === 'queued') streams.queued++;
    if (state.phase === 'parked' || state.phase === 'parking') {
      streams.parked++;
      parked.push(state.stream);
      continue;
    }
    if (state.lastError !== undefined) {
      streams.failing++;
      const error = DeadLetter.errorToJson(state.lastError);
      failing.push({ stream: state.stream, attempts: state.attempts, error, forMs: now - state.failingSince });
    } else if (state.notYetCount > 0) streams.waiting++;
    const hasWork = state.pending.length > 0 || state.phase === 'active';
    if (hasWork && now - state.progressAt >= limits.stallAfterMs) {
      streams.stalled++;
      stalled.push({ stream: state.stream, attempts: state.attempts, forMs: now - state.progressAt });
    }
    if (state.gapSince !== 0) {
      const age = now - state.gapSince;
      if (age >= limits.gapWarningAfterMs) stale++;
      if (age > oldestMs) oldestMs = age;
    }
  }
  const worst = (a: StreamAttention, b: StreamAttention) => b.forMs - a.forMs;
  return {
    streams,
    gaps: { stale, oldestMs },
    failing: failing.sort(worst).slice(0, maxListed),
    stalled: stalled.sort(worst).slice(0, maxListed),
    parked: parked.sort(),
  };
}
