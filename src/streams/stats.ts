import { DeadLetter } from './dead-letter-store.ts';
import { LatencyWindow, RateWindow } from './handler-timings.ts';
import type { PageProgressTracker } from './page-progress.ts';
import type { StreamState } from './stream-state.ts';
import type { StreamStates } from './stream-states.ts';

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

/** The scheduler's running totals of handler calls and documents; the stats read them, nothing else does. */
export class SchedulerTotals {
  events = 0;
  spans = 0;
  failures = 0;
  notYet = 0;
  foreign = 0;
  readonly latency = new LatencyWindow();
  readonly rate = new RateWindow();

  /** a handler call made progress over `count` events */
  handled(count: number, now: number): void {
    this.events += count;
    this.spans++;
    this.rate.add(count, now);
  }
}

/** What the stats are read from. */
export interface StatsSources {
  readonly name: string;
  readonly states: StreamStates;
  readonly pages: PageProgressTracker;
  readonly totals: SchedulerTotals;
  /** handlers running */
  readonly active: number;
  readonly parkingFailures: number;
  readonly limits: { readonly stallAfterMs: number; readonly gapWarningAfterMs: number };
}

export function schedulerStats({ name, states, pages, totals, active, parkingFailures, limits }: StatsSources) {
  const now = performance.now();
  const survey = surveyStreams(states.values(), now, limits);
  const stats: SchedulerStats = {
    name,
    streams: { known: states.size, active, ...survey.streams },
    handled: { events: totals.events, spans: totals.spans },
    failures: totals.failures,
    notYet: totals.notYet,
    duplicates: states.duplicates,
    foreignDocuments: totals.foreign,
    parkingFailures,
    eventsPerSecond: totals.rate.perSecond(now),
    latencyMs: totals.latency.percentiles(),
    buffered: { events: states.buffered, pages: pages.size },
    gaps: { open: states.openGaps, ...survey.gaps, skippedAtStart: states.skippedAtStart },
    lag: lagOf(pages.oldestChangeAt()),
    failing: survey.failing,
    stalled: survey.stalled,
    parked: survey.parked,
  };
  return stats;
}

/** How far handling is behind the feed, from the oldest change (epoch ms) in a page not yet handled. */
function lagOf(oldestChangeAt: number | undefined): SchedulerStats['lag'] {
  if (oldestChangeAt === undefined) return { behindMs: 0, oldestPendingChangeAt: undefined };
  return { behindMs: Math.max(0, Date.now() - oldestChangeAt), oldestPendingChangeAt: new Date(oldestChangeAt) };
}
