import type { StreamSpan as Span } from '../core/index.ts';
import type { RangeStart } from '../feed/sink.ts';
import { cosmosDeadLetters } from './cosmos-dead-letters.ts';
import type { DeadLetter, DeadLetterStore } from './dead-letter-store.ts';
import { Dispatcher } from './dispatcher.ts';
import { HandlerKeptWaiting, HandlerMadeNoProgress, SchedulerClosed, StreamNotParked } from './errors.ts';
import type { DocumentReader, MalformedDocument } from './event-documents.ts';
import {
  afterFailure,
  afterKeptWaiting,
  type FailurePolicy,
  type NextStep,
  notYetWithinBounds,
  Timers,
} from './failure-policy.ts';
import type { HandlerOutcome } from './handler.ts';
import { createSchedulerMetrics } from './metrics.ts';
import { parseSchedulerOptions, type StreamSchedulerOptions } from './options.ts';
import { heldUntilParked, mayReadAhead, PageProgress, PageProgressTracker } from './page-progress.ts';
import { Parking } from './parking.ts';
import { RangeStarts } from './range-starts.ts';
import { RecentPositions } from './recent-positions.ts';
import { type SchedulerStats, SchedulerTotals, schedulerStats } from './stats.ts';
import type { StreamScheduler } from './stream-scheduler.ts';
import type { StreamState } from './stream-state.ts';
import { StreamStates } from './stream-states.ts';
import { SchedulerWaiters, StreamWatchers } from './waiters.ts';

export type { StreamScheduler } from './stream-scheduler.ts';

/**
 * Builds the scheduler around a document reader (`createStreamScheduler` gives it the store's).
 *
 * How it works: each stream has a state (`StreamState`, kept by `StreamStates`) with its write position and its
 * pending spans. A page's spans are merged into their streams' pending spans, and the page leaves a claim on each
 * stream it touched ("reach version v", `PageProgressTracker`); the page is handled when all its claims are
 * released, by progress or by parking (`Parking`). A stream whose first pending span starts at its write position
 * goes to the `Dispatcher`'s FIFO queue, which runs handlers while fewer than `maxConcurrentStreams` run. A failed
 * or `notYet` call is retried or parked as the `FailurePolicy` says. Nothing ever scans all streams except
 * `stats()`, `revoke` and the rare forgetting of idle streams.
 */
export function createScheduler(options: StreamSchedulerOptions, reader: DocumentReader): StreamScheduler {
  const settings = parseSchedulerOptions(options);
  const { name } = settings;
  const states = new StreamStates({
    completed,
    failed,
    timerFired(state) {
      timers.fired(state);
      settle(state);
    },
  });
  const pages = new PageProgressTracker();
  const dispatcher = new Dispatcher(settings.handle, settings, (state) => states.isReady(state));
  const timers = new Timers();
  const totals = new SchedulerTotals();
  const watchers = new StreamWatchers();
  const starts = new RangeStarts();
  const recent = new RecentPositions(settings.carriedPositions);
  const revocations = new Map<string, number>();
  const parking =
    settings.parking &&
    new Parking(toStore(settings.parking.deadLetters), name, settings.retry, {
      states,
      pages,
      timers,
      reread: (document) => reader.readDocument(document),
      parked: (state, until) => watchers.parked(state.stream, until),
      settle: (state) => settle(state),
      changed,
    });
  const policy: FailurePolicy = {
    retry: settings.retry,
    notYet: settings.notYet,
    parkAfter: settings.parking?.afterAttempts ?? Number.POSITIVE_INFINITY,
    parking: parking !== undefined,
  };
  const waiters = new SchedulerWaiters({
    isQuiet: () => dispatcher.idle && (parking?.writes ?? 0) === 0,
    hasRoom,
    isComplete: () =>
      pages.size === 0 &&
      dispatcher.active === 0 &&
      states.buffered === 0 &&
      (parking?.writes ?? 0) === 0 &&
      (parking?.replays ?? 0) === 0,
  });
  const metrics = createSchedulerMetrics(settings.meterProvider, name, () => stats());
  let closed = false;

  async function accept(
    leaseToken: string,
    spans: readonly Span[],
    malformed: readonly MalformedDocument[],
    changedAt?: number,
  ) {
    if (closed) throw new SchedulerClosed(name);
    const generation = revocations.get(leaseToken) ?? 0;
    if (parking !== undefined && !parking.hasChecked(leaseToken)) await parking.checkLease(leaseToken);
    if (!hasRoom()) await waiters.untilRoom();
    // Revoked while this page waited: its range will be read again by whoever holds the lease now.
    if ((revocations.get(leaseToken) ?? 0) !== generation) return { handled: new Promise<void>(() => {}) };
    const page = new PageProgress(leaseToken, changedAt);
    const now = performance.now();
    for (const span of spans) addSpan(states.stateOf(span.stream), span, page, now);
    for (const { stream, record, error } of malformed) {
      const state = states.stateOf(stream);
      state.leaseToken = leaseToken;
      states.holdMalformed(state, record);
      state.failedWith(error, now);
      pages.claim(state.pageClaims, page, heldUntilParked);
      watchers.failed(state);
      if (parking !== undefined && state.phase !== 'active' && state.phase !== 'parking') {
        timers.cancel(state);
        parking.park(state, error, 'malformed');
      }
    }
    pump();
    if (states.size > settings.maxTrackedStreams) states.forgetIdle(settings.maxTrackedStreams);
    return { handled: pages.track(page) };
  }

  function addSpan(state: StreamState, span: Span, page: PageProgress, now: number) {
    state.leaseToken = page.leaseToken;
    state.forget = false;
    if (state.writePosition < 0) states.place(state, starts.baseOf(page.leaseToken, state.stream));
    const end = states.add(state, span, now);
    if (end < 0) return;
    pages.claim(state.pageClaims, page, end);
    if (state.phase === 'idle') route(state, now);
    else if (state.phase === 'parked') parking!.park(state, undefined, 'failed');
  }

  function hasRoom() {
    return mayReadAhead(
      pages.size,
      states.buffered,
      settings,
      () => dispatcher.idle && timers.pending === 0 && (parking?.writes ?? 0) === 0 && states.heldByMalformed === 0,
    );
  }

  /** An idle stream: queued if its next events are pending, otherwise (a gap) it waits for them. */
  function route(state: StreamState, now: number) {
    if (states.isReady(state)) {
      states.closeGap(state);
      dispatcher.enqueue(state);
    } else states.trackGap(state, now);
  }

  function pump() {
    if (!closed) dispatcher.pump();
  }

  function changed() {
    pump();
    waiters.changed();
  }

  function completed(state: StreamState, outcome: HandlerOutcome | undefined) {
    const now = callEnded(state);
    const span = state.inFlight!;
    state.inFlight = undefined;
    if (outcome !== undefined && outcome.kind === 'notYet') notYet(state, outcome.reason, now);
    else {
      const start = Number(span.index);
      const next = outcome?.nextIndex === undefined ? start + span.events.length : Number(outcome.nextIndex);
      if (next > start) advance(state, Math.min(next, start + span.events.length) - start, next, now);
      else failure(state, new HandlerMadeNoProgress(state.stream, span.index, BigInt(next)), now);
    }
    settle(state, now);
  }

  function failed(state: StreamState, error: unknown) {
    const now = callEnded(state);
    state.inFlight = undefined;
    failure(state, error, now);
    settle(state, now);
  }

  function callEnded(state: StreamState) {
    const now = performance.now();
    const ms = dispatcher.finish(state, now);
    totals.latency.record(ms);
    metrics.handlerDuration.record(ms, metrics.attributes);
    return now;
  }

  function advance(state: StreamState, handled: number, next: number, now: number) {
    totals.handled(handled, now);
    state.writePosition = next;
    state.assumedStart = false;
    if (state.leaseToken !== undefined) recent.record(state.leaseToken, state.stream, next);
    state.resetFailures();
    state.progressAt = now;
    states.dropHandled(state, next);
    pages.releaseUpTo(state.pageClaims, next);
    watchers.handled(state.stream, next);
    if (state.replay !== undefined && next >= state.replay.until) parking!.finishReplay(state);
  }

  /** After a handler call or a timer: requeue, park, or forget the stream; then let others run. */
  function settle(state: StreamState, now?: number) {
    if (state.phase === 'idle') {
      if (state.forget) remove(state);
      else if (state.malformed.length > 0 && parking !== undefined) parking.park(state, state.lastError, 'malformed');
      else route(state, now ?? performance.now());
    }
    changed();
  }

  function failure(state: StreamState, error: unknown, now: number) {
    state.attempts++;
    totals.failures++;
    state.failedWith(error, now);
    watchers.failed(state);
    next(state, afterFailure(policy, state.attempts, error), error, 'failed');
  }

  function notYet(state: StreamState, reason: string, now: number) {
    totals.notYet++;
    state.notYetCount++;
    state.lastNotYetReason = reason;
    if (state.notYetSince === 0) state.notYetSince = now;
    if (notYetWithinBounds(policy, state.notYetCount, now - state.notYetSince)) {
      timers.delay(state, policy.notYet.delayMs);
      return;
    }
    const error = new HandlerKeptWaiting(state.stream, state.notYetCount, reason);
    state.attempts++;
    state.failedWith(error, now);
    watchers.failed(state);
    next(state, afterKeptWaiting(policy, state.attempts), error, 'notYet');
  }

  function next(state: StreamState, step: NextStep, error: unknown, reason: DeadLetter['reason']) {
    if (step.kind === 'park') parking!.park(state, error, reason);
    else timers.delay(state, step.delayMs);
  }

  function revoke(leaseToken: string) {
    parking?.forgetLease(leaseToken);
    starts.forget(leaseToken);
    recent.forget(leaseToken);
    revocations.set(leaseToken, (revocations.get(leaseToken) ?? 0) + 1);
    pages.revoke(leaseToken);
    for (const state of states.values()) {
      if (state.leaseToken !== leaseToken) continue;
      if (state.phase === 'active') state.forget = true;
      else if (state.phase === 'idle' || state.phase === 'queued' || state.phase === 'delayed') remove(state);
    }
    changed();
  }

  function remove(state: StreamState) {
    timers.cancel(state);
    states.remove(state);
  }

  /**
   * The lease's range has been read up to the head of the feed: streams still waiting for their first versions
   * start at the first version they have (see `StreamStates.skipStartGaps`).
   */
  function caughtUp(leaseToken: string) {
    const now = performance.now();
    for (const state of states.skipStartGaps(leaseToken)) route(state, now);
    changed();
  }

  function stats(): SchedulerStats {
    const parkingFailures = parking?.failures ?? 0;
    return schedulerStats({
      name,
      states,
      pages,
      totals,
      active: dispatcher.active,
      parkingFailures,
      limits: settings,
    });
  }

  return {
    ingest(page) {
      const contents = reader.readPage(page.documents);
      totals.foreign += contents.foreign;
      return accept(page.leaseToken, contents.spans, contents.malformed, contents.oldestChangeAt);
    },
    ingestSpans: (leaseToken, spans) => accept(leaseToken, spans, []),
    revoke,
    /** A lease was acquired: its parked streams are learnt now, so that stats (and dashboards) show them at once. */
    open(leaseToken: string, start: RangeStart) {
      starts.open(leaseToken, start);
      // a failure here is met again, and reported, by the lease's first page
      if (parking !== undefined && !parking.hasChecked(leaseToken))
        parking.checkLease(leaseToken).catch(() => undefined);
    },
    caughtUp,
    handled: (leaseToken) => recent.of(leaseToken),
    quiesce() {
      timers.stop(states.values());
      return waiters.untilQuiet();
    },
    stats,
    awaitCompletion: () => waiters.untilComplete(),
    watch: (stream, watcher) => watchers.watch(stream, watcher, states.get(stream)),
    parked: {
      list: () => parking?.list() ?? Promise.resolve([]),
      replay: async (stream) => {
        if (parking === undefined) throw new StreamNotParked(stream, name);
        return parking.replay(stream);
      },
    },
    close() {
      closed = true;
      for (const state of states.values()) timers.cancel(state);
      metrics.close();
      waiters.close(new SchedulerClosed(name));
    },
  };
}

function toStore(deadLetters: NonNullable<StreamSchedulerOptions['parking']>['deadLetters']): DeadLetterStore {
  return 'items' in deadLetters ? cosmosDeadLetters(deadLetters) : deadLetters;
}
