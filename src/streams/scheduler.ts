import type { StreamSpan as Span, TimelineEvent } from '../core/index.ts';
import type { FeedPage, FeedSink, RangeStart } from '../feed/sink.ts';
import { cosmosDeadLetters } from './cosmos-dead-letters.ts';
import { DeadLetter, type DeadLetterStore, type MalformedDocumentRecord } from './dead-letter-store.ts';
import { claimsToHoldEvents } from './document-kind.ts';
import {
  HandlerKeptWaiting,
  HandlerMadeNoProgress,
  isPermanentFailure,
  ReplayFailed,
  SchedulerClosed,
  StreamNotParked,
} from './errors.ts';
import type { HandlerOutcome } from './handler.ts';
import { LatencyWindow, RateWindow } from './handler-timings.ts';
import { createSchedulerMetrics } from './metrics.ts';
import { parseSchedulerOptions, retryDelay, type StreamSchedulerOptions } from './options.ts';
import { RangeStarts } from './range-starts.ts';
import { RecentPositions } from './recent-positions.ts';
import { type SchedulerStats, surveyStreams } from './stats.ts';
import { StreamSpan } from './stream-span.ts';
import { PageClaim, PageProgress, StreamState } from './stream-state.ts';

/** Reads one change-feed document: a span, `undefined` for a document that holds no events, or throws if broken. */
export type DocumentReader = (document: Record<string, unknown>) => Span | undefined;

/** The stream scheduler: a `FeedSink` for the change-feed processor, plus stats, waiting and parked streams. */
export interface StreamScheduler extends Required<FeedSink> {
  stats(): SchedulerStats;
  /** resolves when everything ingested so far has been handled or parked (a held failure keeps it waiting) */
  awaitCompletion(): Promise<void>;
  /** resolves once the event at `version` of `stream` has been handled (`'handled'`) or parked (`'parked'`) */
  waitFor(stream: string, version: bigint): Promise<'handled' | 'parked'>;
  /** resolves with the error once `stream` has failed `attempts` times in a row (a malformed document counts as 1) */
  waitForFailure(stream: string, attempts?: number): Promise<unknown>;
  readonly parked: {
    /** the dead letters of this scheduler (read from the store) */
    list(): Promise<DeadLetter[]>;
    /**
     * Hands the parked events (and the ones that arrived while parked) to the handler again, in order, then
     * removes the dead letter and lets the stream flow normally. Rejects with `ReplayFailed` if it gets parked again.
     */
    replay(stream: string): Promise<void>;
  };
  /** stops timers and metric callbacks; pending pages are never resolved */
  close(): void;
  /**
   * feeds spans without documents (tests, benchmarks, other sources); same contract as `ingest`. A lease never
   * `open`ed counts as read from the beginning (streams start at 0): open it with `fromBeginning: false` to start
   * each stream at the first version fed
   */
  ingestSpans(leaseToken: string, spans: readonly Span[]): Promise<{ readonly handled: Promise<void> }>;
}

// Only parking releases a page that carried a malformed document: no write position ever reaches this.
const heldUntilParked = Number.POSITIVE_INFINITY;

interface Malformed {
  readonly stream: string;
  readonly record: MalformedDocumentRecord;
  readonly error: unknown;
}

/**
 * Builds the scheduler around a document reader (the store's `spanFromDocument` in `createStreamScheduler`).
 *
 * How it works: each stream has a state (`StreamState`) with its write position and its pending spans. A page's
 * spans are merged into their streams' pending spans, and the page leaves a claim on each stream it touched ("reach
 * version v"); the page is handled when all its claims are released, by progress or by parking. A stream whose first
 * pending span starts at its write position goes to the FIFO `ready` queue; `pump` starts handlers from it while
 * fewer than `maxConcurrentStreams` run. Nothing ever scans all streams except `stats()`, `revoke` and the rare
 * forgetting of idle streams.
 */
/** The `_ts` (seconds, written by Cosmos) of the oldest document in a page, in epoch ms. */
function oldestChangeOf(documents: readonly Record<string, unknown>[]): number | undefined {
  let oldest: number | undefined;
  for (const { _ts: ts } of documents) if (typeof ts === 'number' && (oldest === undefined || ts < oldest)) oldest = ts;
  return oldest === undefined ? undefined : oldest * 1000;
}

export function createScheduler(options: StreamSchedulerOptions, readDocument: DocumentReader): StreamScheduler {
  const settings = parseSchedulerOptions(options);
  const { name, handle, maxConcurrentStreams, maxEventsPerSpan, maxReadAhead, maxBufferedEvents, retry, notYet } =
    settings;
  const deadLetters: DeadLetterStore | undefined = settings.parking && toStore(settings.parking.deadLetters);
  const parkAfter = settings.parking?.afterAttempts ?? Number.POSITIVE_INFINITY;

  const streams = new Map<string, StreamState>();
  let ready: StreamState[] = [];
  let readyHead = 0;
  const outstanding = new Set<PageProgress>();
  let active = 0;
  let buffered = 0;
  let timers = 0;
  let parkingWrites = 0;
  let replays = 0;
  let heldByMalformed = 0;
  let openGaps = 0;
  // Streams assumed to start at 0 (their range is read from the beginning) whose first events have not come yet.
  const startGaps = new Set<StreamState>();
  const starts = new RangeStarts();
  const recent = new RecentPositions(settings.carriedPositions);
  let closed = false;
  let quiescing = false;
  let quiescedWaiters: Array<() => void> = [];
  let roomWaiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  let completionWaiters: Array<() => void> = [];
  let failureWaiters: Array<{ stream: string; attempts: number; resolve: (error: unknown) => void }> = [];
  const leasesChecked = new Set<string>();
  const parkedChecks = new Map<string, Promise<void>>();
  const revocations = new Map<string, number>();
  const totals = {
    events: 0,
    spans: 0,
    failures: 0,
    notYet: 0,
    duplicates: 0,
    parkingFailures: 0,
    foreign: 0,
    skippedAtStart: 0,
  };
  const latency = new LatencyWindow();
  const rate = new RateWindow();
  const metrics = createSchedulerMetrics(settings.meterProvider, name, () => stats());

  function stateOf(stream: string): StreamState {
    let state = streams.get(stream);
    if (state === undefined) {
      const created = new StreamState(stream);
      created.onDone = (outcome) => completed(created, outcome);
      created.onFail = (error) => failed(created, error);
      created.onTimer = () => timerFired(created);
      streams.set(stream, created);
      state = created;
    }
    return state;
  }

  // ---- ingestion ------------------------------------------------------------------------------------------

  async function ingest(page: FeedPage) {
    const spans: Span[] = [];
    const malformed: Malformed[] = [];
    for (const document of page.documents) {
      if (!claimsToHoldEvents(document)) {
        totals.foreign++;
        continue;
      }
      try {
        const span = readDocument(document);
        if (span !== undefined) spans.push(span);
      } catch (error) {
        const stream = typeof document.p === 'string' ? document.p : '(unknown stream)';
        malformed.push({ stream, record: { document, error: DeadLetter.errorToJson(error) }, error });
      }
    }
    return accept(page.leaseToken, spans, malformed, oldestChangeOf(page.documents));
  }

  async function accept(
    leaseToken: string,
    spans: readonly Span[],
    malformed: readonly Malformed[],
    changedAt?: number,
  ) {
    if (closed) throw new SchedulerClosed(name);
    const generation = revocations.get(leaseToken) ?? 0;
    // A lease we did not hold before may carry streams another instance parked: learn them first, so that their
    // later events join the dead letter instead of overtaking it.
    if (deadLetters !== undefined && !leasesChecked.has(leaseToken)) await checkParked(leaseToken);
    if (!hasRoom()) await new Promise<void>((resolve, reject) => roomWaiters.push({ resolve, reject }));
    // Revoked while this page waited: its range will be read again by whoever holds the lease now.
    if ((revocations.get(leaseToken) ?? 0) !== generation) return { handled: new Promise<void>(() => {}) };
    const page = new PageProgress(leaseToken, changedAt);
    const now = performance.now();
    for (const span of spans) addSpan(stateOf(span.stream), span, page, now);
    for (const { stream, record, error } of malformed) addMalformed(stateOf(stream), record, error, page, now);
    pump();
    if (streams.size > settings.maxTrackedStreams) forgetIdleStreams();
    if (page.remaining === 0) return { handled: Promise.resolve() };
    outstanding.add(page);
    return { handled: new Promise<void>((resolve) => (page.resolve = resolve)) };
  }

  function checkParked(leaseToken: string): Promise<void> {
    let checking = parkedChecks.get(leaseToken);
    if (checking === undefined) {
      checking = loadParked().then(
        () => {
          leasesChecked.add(leaseToken);
          parkedChecks.delete(leaseToken);
        },
        (error: unknown) => {
          parkedChecks.delete(leaseToken);
          throw error;
        },
      );
      parkedChecks.set(leaseToken, checking);
    }
    return checking;
  }

  /** A lease was acquired: its parked streams are learnt now, so that stats (and dashboards) show them at once. */
  function open(leaseToken: string, start: RangeStart) {
    starts.open(leaseToken, start);
    // a failure here is met again, and reported, by the lease's first page
    if (deadLetters !== undefined && !leasesChecked.has(leaseToken)) checkParked(leaseToken).catch(() => undefined);
  }

  function addSpan(state: StreamState, given: Span, page: PageProgress, now: number) {
    state.leaseToken = page.leaseToken;
    state.forget = false;
    if (state.writePosition < 0) place(state, page.leaseToken);
    let span = given;
    let start = Number(given.index);
    const end = start + given.events.length;
    const position = state.writePosition;
    if (position > start) {
      totals.duplicates += Math.min(end, position) - start;
      if (end <= position) return;
      span = { stream: given.stream, index: BigInt(position), events: given.events.slice(position - start) };
      start = position;
    }
    if (end === start) return;
    const pending = state.pending;
    const last = pending[pending.length - 1];
    const lastEnd = last === undefined ? -1 : Number(last.index) + last.events.length;
    if (last === undefined || start > lastEnd) {
      if (last === undefined) state.progressAt = now;
      pending.push(span);
      state.openTail = false;
      state.buffered += end - start;
      buffered += end - start;
    } else if (start === lastEnd) {
      // The usual case: the stream's next events. Appending in place saves a copy per page, but only to an array
      // the scheduler made itself and has not handed to a handler (a span a handler holds never changes).
      if (state.openTail) {
        const events = last.events as TimelineEvent[];
        for (const event of span.events) events.push(event);
      } else {
        pending[pending.length - 1] = {
          stream: last.stream,
          index: last.index,
          events: last.events.concat(span.events),
        };
        state.openTail = true;
      }
      state.buffered += end - start;
      buffered += end - start;
    } else {
      const before = state.buffered;
      state.pending = StreamSpan.insert(pending, span);
      state.openTail = false;
      state.buffered = StreamSpan.count(state.pending);
      buffered += state.buffered - before;
    }
    claim(state, page, end);
    if (state.phase === 'idle') {
      if (isReady(state)) enqueue(state);
      else trackGap(state, now);
    } else if (state.phase === 'parked') {
      park(state, undefined, 'failed');
    }
  }

  function addMalformed(
    state: StreamState,
    record: MalformedDocumentRecord,
    error: unknown,
    page: PageProgress,
    now: number,
  ) {
    state.leaseToken = page.leaseToken;
    if (state.malformed.length === 0) heldByMalformed++;
    state.malformed.push(record);
    state.lastError = error;
    if (state.failingSince === 0) state.failingSince = now;
    claim(state, page, heldUntilParked);
    notifyFailure(state);
    if (deadLetters === undefined) return;
    if (state.phase === 'queued' || state.phase === 'idle' || state.phase === 'delayed' || state.phase === 'parked') {
      cancelTimer(state);
      park(state, error, 'malformed');
    }
  }

  /** Sets the write position of a stream the scheduler knows nothing about, from where its lease's range started. */
  function place(state: StreamState, leaseToken: string) {
    const base = starts.baseOf(leaseToken, state.stream);
    if (base.kind === 'handled') state.writePosition = base.position;
    else if (base.kind === 'beginning') {
      state.writePosition = 0;
      state.assumedStart = true;
    }
  }

  /**
   * The lease's range has been read up to the head of the feed: a stream still waiting for its first versions will
   * not get them from the feed (the documents were deleted, or the scheduler forgot the stream after handling
   * them). It starts at the first version it has, and the versions passed over are counted (`gaps.skippedAtStart`).
   */
  function caughtUp(leaseToken: string) {
    for (const state of startGaps) {
      const first = state.pending[0];
      if (state.leaseToken !== leaseToken || state.phase !== 'idle' || first === undefined) continue;
      totals.skippedAtStart += Number(first.index) - state.writePosition;
      state.writePosition = Number(first.index);
      state.assumedStart = false;
      if (isReady(state)) enqueue(state);
      else trackGap(state, performance.now());
    }
    pump();
    changed();
  }

  function claim(state: StreamState, page: PageProgress, until: number) {
    const last = state.pageClaims[state.pageClaims.length - 1];
    if (last !== undefined && last.page === page) {
      if (until > last.until) last.until = until;
      return;
    }
    page.remaining++;
    state.pageClaims.push(new PageClaim(page, until));
  }

  function hasRoom() {
    if (outstanding.size < maxReadAhead && buffered < maxBufferedEvents) return true;
    // Full, but if nothing can move (only gaps remain open), reading on is the only way to fill them.
    return active === 0 && readyHead === ready.length && timers === 0 && parkingWrites === 0 && heldByMalformed === 0;
  }

  // ---- dispatch -------------------------------------------------------------------------------------------

  function isReady(state: StreamState) {
    const first = state.pending[0];
    if (first === undefined || state.malformed.length > 0) return false;
    return state.writePosition < 0 || Number(first.index) === state.writePosition;
  }

  function enqueue(state: StreamState) {
    if (state.gapSince !== 0) {
      state.gapSince = 0;
      openGaps--;
      startGaps.delete(state);
    }
    state.phase = 'queued';
    ready.push(state);
  }

  function trackGap(state: StreamState, now: number) {
    const hasGap = state.pending.length > 0 && state.malformed.length === 0 && !isReady(state);
    if (hasGap && state.gapSince === 0) {
      state.gapSince = now;
      openGaps++;
      if (state.assumedStart) startGaps.add(state);
    } else if (!hasGap && state.gapSince !== 0) {
      state.gapSince = 0;
      openGaps--;
      startGaps.delete(state);
    }
  }

  function pump() {
    if (closed) return;
    while (active < maxConcurrentStreams && readyHead < ready.length) {
      const state = ready[readyHead++]!;
      if (state.phase !== 'queued') continue;
      if (!isReady(state)) {
        state.phase = 'idle';
        continue;
      }
      dispatch(state);
    }
    if (readyHead === ready.length) {
      ready.length = 0;
      readyHead = 0;
    } else if (readyHead > 4096) {
      ready = ready.slice(readyHead);
      readyHead = 0;
    }
  }

  function dispatch(state: StreamState) {
    const first = state.pending[0]!;
    const span =
      first.events.length <= maxEventsPerSpan
        ? first
        : { stream: first.stream, index: first.index, events: first.events.slice(0, maxEventsPerSpan) };
    // The first span of a stream we know nothing about sets its base: the processor may have started mid-stream.
    if (state.writePosition < 0) state.writePosition = Number(span.index);
    state.phase = 'active';
    state.inFlight = span;
    if (state.pending.length === 1) state.openTail = false;
    active++;
    state.startedAt = performance.now();
    let result: Promise<HandlerOutcome | undefined>;
    try {
      // a native promise passes through Promise.resolve as it is; a plain JS handler's value gets wrapped
      result = Promise.resolve(handle(span));
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(state.onDone, state.onFail);
  }

  function completed(state: StreamState, outcome: HandlerOutcome | undefined) {
    const now = finishCall(state);
    const span = state.inFlight!;
    state.inFlight = undefined;
    if (outcome !== undefined && outcome.kind === 'notYet') {
      waitNotYet(state, outcome.reason, now);
    } else {
      const start = Number(span.index);
      const next = outcome?.nextIndex === undefined ? start + span.events.length : Number(outcome.nextIndex);
      if (next > start) advance(state, start, span.events.length, next, now);
      else failure(state, new HandlerMadeNoProgress(state.stream, span.index, BigInt(next)), now);
    }
    settle(state);
  }

  function failed(state: StreamState, error: unknown) {
    const now = finishCall(state);
    state.inFlight = undefined;
    failure(state, error, now);
    settle(state);
  }

  function finishCall(state: StreamState) {
    const now = performance.now();
    const ms = now - state.startedAt;
    latency.record(ms);
    metrics.handlerDuration.record(ms, metrics.attributes);
    active--;
    state.phase = 'idle';
    return now;
  }

  function advance(state: StreamState, start: number, length: number, next: number, now: number) {
    const count = Math.min(next, start + length) - start;
    totals.events += count;
    totals.spans++;
    rate.add(count, now);
    state.writePosition = next;
    state.assumedStart = false;
    if (state.leaseToken !== undefined) recent.record(state.leaseToken, state.stream, next);
    state.attempts = 0;
    state.notYetCount = 0;
    state.notYetSince = 0;
    state.lastError = undefined;
    state.failingSince = 0;
    state.progressAt = now;
    const before = state.buffered;
    const only = state.pending[0];
    if (state.pending.length === 1 && only !== undefined && Number(only.index) + only.events.length <= next) {
      state.pending.length = 0;
      state.buffered = 0;
    } else {
      state.pending = StreamSpan.dropListBeforeIndex(state.pending, BigInt(next));
      state.buffered = StreamSpan.count(state.pending);
    }
    buffered -= before - state.buffered;
    releaseClaims(state, next);
    releaseVersionWaiters(state, next, 'handled');
    if (state.replay !== undefined && next >= state.replay.until) finishReplay(state);
  }

  function releaseClaims(state: StreamState, position: number) {
    const claims = state.pageClaims;
    if (claims.length === 0) return;
    let kept = 0;
    for (const claim of claims) {
      if (claim.until <= position) releasePage(claim.page);
      else claims[kept++] = claim;
    }
    claims.length = kept;
  }

  function releasePage(page: PageProgress) {
    if (--page.remaining === 0 && !page.revoked) {
      outstanding.delete(page);
      page.resolve();
    }
  }

  function releaseVersionWaiters(state: StreamState, position: number, outcome: 'handled' | 'parked') {
    if (state.versionWaiters.length === 0) return;
    const waiting = state.versionWaiters;
    state.versionWaiters = [];
    for (const waiter of waiting) {
      if (waiter.until <= position) waiter.resolve(outcome);
      else state.versionWaiters.push(waiter);
    }
  }

  /** After a handler call or a timer: requeue, park, or forget the stream; then let others run. */
  function settle(state: StreamState) {
    if (state.phase === 'idle') {
      if (state.forget) remove(state);
      else if (state.malformed.length > 0 && deadLetters !== undefined) park(state, state.lastError, 'malformed');
      else if (isReady(state)) enqueue(state);
      else trackGap(state, performance.now());
    }
    pump();
    changed();
  }

  // ---- failures -------------------------------------------------------------------------------------------

  function failure(state: StreamState, error: unknown, now: number) {
    state.attempts++;
    totals.failures++;
    state.lastError = error;
    if (state.failingSince === 0) state.failingSince = now;
    notifyFailure(state);
    if (state.attempts >= parkAfter || (deadLetters !== undefined && isPermanentFailure(error))) {
      park(state, error, 'failed');
    } else delay(state, retryDelay(retry, state.attempts));
  }

  function waitNotYet(state: StreamState, reason: string, now: number) {
    totals.notYet++;
    state.notYetCount++;
    state.lastNotYetReason = reason;
    if (state.notYetSince === 0) state.notYetSince = now;
    if (state.notYetCount < notYet.maxAttempts && now - state.notYetSince < notYet.maxWaitMs) {
      delay(state, notYet.delayMs);
      return;
    }
    // Past the bounds a notYet is a failure: parked if parking is on, otherwise failing (retried with backoff).
    const error = new HandlerKeptWaiting(state.stream, state.notYetCount, reason);
    state.attempts++;
    state.lastError = error;
    if (state.failingSince === 0) state.failingSince = now;
    notifyFailure(state);
    if (deadLetters !== undefined) park(state, error, 'notYet');
    else delay(state, retryDelay(retry, state.attempts));
  }

  function delay(state: StreamState, ms: number) {
    state.phase = 'delayed';
    // Stopping: a failing stream keeps its pages unfinished rather than holding the stop for its next retry.
    if (quiescing) return;
    timers++;
    state.timer = setTimeout(state.onTimer, ms);
  }

  function cancelTimer(state: StreamState) {
    if (state.timer === undefined) return;
    clearTimeout(state.timer);
    state.timer = undefined;
    timers--;
  }

  function timerFired(state: StreamState) {
    state.timer = undefined;
    timers--;
    if (state.phase === 'delayed') state.phase = 'idle';
    settle(state);
  }

  function notifyFailure(state: StreamState) {
    if (failureWaiters.length === 0) return;
    const attempts = Math.max(state.attempts, state.malformed.length > 0 ? 1 : 0);
    const waiting = failureWaiters;
    failureWaiters = [];
    for (const waiter of waiting) {
      if (waiter.stream === state.stream && attempts >= waiter.attempts) waiter.resolve(state.lastError);
      else failureWaiters.push(waiter);
    }
  }

  // ---- parking --------------------------------------------------------------------------------------------

  /** Moves the stream's pending events (and malformed documents) into its dead letter, creating or extending it. */
  function park(state: StreamState, error: unknown, reason: DeadLetter['reason']) {
    const store = deadLetters!;
    const existing = state.parked;
    const spans = StreamSpan.merge([...state.parkedSpans, ...state.pending]);
    const letter: DeadLetter = {
      id: DeadLetter.id(name, state.stream),
      stream: state.stream,
      processor: name,
      error: existing?.error ?? DeadLetter.errorToJson(error),
      reason: existing?.reason ?? reason,
      events: spans.flatMap((span) => span.events.map(DeadLetter.eventToJson)),
      malformed: [...(existing?.malformed ?? []), ...state.malformed],
      attempts: existing?.attempts ?? state.attempts,
      parkedAt: existing?.parkedAt ?? new Date().toISOString(),
    };
    const claims = state.pageClaims;
    state.pageClaims = [];
    buffered -= state.buffered;
    state.buffered = 0;
    state.pending = [];
    if (state.malformed.length > 0) heldByMalformed--;
    state.malformed = [];
    trackGap(state, 0);
    state.phase = 'parking';
    parkingWrites++;
    const write = (attempt: number) => {
      store.put(letter).then(
        () => parked(state, letter, spans, claims),
        () => {
          totals.parkingFailures++;
          timers++;
          setTimeout(
            () => {
              timers--;
              write(attempt + 1);
            },
            retryDelay(retry, attempt),
          );
        },
      );
    };
    write(1);
  }

  function parked(state: StreamState, letter: DeadLetter, spans: Span[], claims: PageClaim[]) {
    parkingWrites--;
    state.phase = 'parked';
    state.parked = letter;
    state.parkedSpans = spans;
    for (const claim of claims) releasePage(claim.page);
    const last = spans[spans.length - 1];
    const end = last === undefined ? state.writePosition : endOf(last);
    releaseVersionWaiters(state, end, 'parked');
    if (state.replay !== undefined) {
      const { reject } = state.replay;
      state.replay = undefined;
      replays--;
      reject(new ReplayFailed(state.stream, state.lastError));
    }
    if (state.pending.length > 0 || state.malformed.length > 0) park(state, undefined, letter.reason);
    else {
      const settled = state.whenParkingSettles;
      state.whenParkingSettles = [];
      for (const resolve of settled) resolve();
    }
    pump();
    changed();
  }

  async function loadParked() {
    const letters = await deadLetters!.list(name);
    const inStore = new Set<string>();
    for (const letter of letters) {
      inStore.add(letter.stream);
      const state = stateOf(letter.stream);
      if (state.phase !== 'idle' || state.pending.length > 0 || state.parked !== undefined) continue;
      state.phase = 'parked';
      state.parked = letter;
      state.parkedSpans = StreamSpan.merge(lettersToSpans(letter));
    }
    // Parked here but gone from the store: another instance replayed it while it held the lease.
    for (const state of streams.values()) {
      if (state.phase !== 'parked' || inStore.has(state.stream)) continue;
      state.phase = 'idle';
      state.parked = undefined;
      state.parkedSpans = [];
      state.writePosition = -1;
      state.assumedStart = false;
    }
  }

  async function replay(stream: string) {
    if (deadLetters === undefined) throw new StreamNotParked(stream, name);
    if (leasesChecked.size === 0) await loadParked();
    const state = streams.get(stream);
    while (state?.phase === 'parking') await new Promise<void>((resolve) => state.whenParkingSettles.push(resolve));
    if (state === undefined || state.phase !== 'parked' || state.parked === undefined)
      throw new StreamNotParked(stream, name);
    const letter = state.parked;
    // A malformed document is read again: the codec (or the document) may have been fixed since it was parked.
    const reread: Span[] = [];
    for (const { document } of letter.malformed) {
      const span = readDocument(document as Record<string, unknown>);
      if (span !== undefined) reread.push(span);
    }
    const spans = StreamSpan.merge([...state.parkedSpans, ...reread]);
    const last = spans[spans.length - 1];
    state.parked = undefined;
    state.parkedSpans = [];
    state.phase = 'idle';
    state.attempts = 0;
    state.notYetCount = 0;
    state.notYetSince = 0;
    state.lastError = undefined;
    state.failingSince = 0;
    state.pending =
      state.writePosition < 0 ? spans : StreamSpan.dropListBeforeIndex(spans, BigInt(state.writePosition));
    state.openTail = false;
    state.buffered = StreamSpan.count(state.pending);
    state.progressAt = performance.now();
    buffered += state.buffered;
    replays++;
    const until = last === undefined ? state.writePosition : endOf(last);
    const done = new Promise<void>((resolve, reject) => {
      state.replay = { until, resolve, reject };
    });
    if (state.writePosition >= until) finishReplay(state);
    settle(state);
    return done;
  }

  function finishReplay(state: StreamState) {
    const { resolve, reject } = state.replay!;
    state.replay = undefined;
    const remove = (attempt: number): void => {
      deadLetters!.remove(name, state.stream).then(
        () => {
          replays--;
          resolve();
          changed();
        },
        (error) => {
          if (attempt >= 5) {
            replays--;
            reject(error);
            changed();
            return;
          }
          setTimeout(() => remove(attempt + 1), retryDelay(retry, attempt));
        },
      );
    };
    remove(1);
  }

  /** Forgets idle streams, oldest first, down to 90% of `maxTrackedStreams`: memory stays bounded. */
  function forgetIdleStreams() {
    let excess = streams.size - Math.floor(settings.maxTrackedStreams * 0.9);
    for (const state of streams.values()) {
      if (excess <= 0) break;
      const idle =
        state.phase === 'idle' &&
        state.pending.length === 0 &&
        state.pageClaims.length === 0 &&
        state.versionWaiters.length === 0 &&
        state.malformed.length === 0 &&
        state.lastError === undefined;
      if (!idle) continue;
      streams.delete(state.stream);
      state.phase = 'removed';
      excess--;
    }
  }

  // ---- leases, waiting, stats -----------------------------------------------------------------------------

  function revoke(leaseToken: string) {
    leasesChecked.delete(leaseToken);
    starts.forget(leaseToken);
    recent.forget(leaseToken);
    revocations.set(leaseToken, (revocations.get(leaseToken) ?? 0) + 1);
    for (const page of outstanding) {
      if (page.leaseToken !== leaseToken) continue;
      page.revoked = true;
      outstanding.delete(page);
    }
    for (const state of streams.values()) {
      if (state.leaseToken !== leaseToken) continue;
      if (state.phase === 'active') state.forget = true;
      else if (state.phase === 'idle' || state.phase === 'queued' || state.phase === 'delayed') remove(state);
    }
    pump();
    changed();
  }

  function remove(state: StreamState) {
    cancelTimer(state);
    buffered -= state.buffered;
    if (state.malformed.length > 0) heldByMalformed--;
    if (state.gapSince !== 0) openGaps--;
    startGaps.delete(state);
    state.phase = 'removed';
    streams.delete(state.stream);
    if (state.versionWaiters.length > 0) stateOf(state.stream).versionWaiters = state.versionWaiters;
  }

  function isComplete() {
    return outstanding.size === 0 && active === 0 && buffered === 0 && parkingWrites === 0 && replays === 0;
  }

  function isQuiet() {
    return active === 0 && readyHead === ready.length && parkingWrites === 0;
  }

  function quiesce(): Promise<void> {
    quiescing = true;
    for (const state of streams.values()) if (state.phase === 'delayed') cancelTimer(state);
    if (isQuiet()) return Promise.resolve();
    return new Promise<void>((resolve) => quiescedWaiters.push(resolve));
  }

  function changed() {
    if (quiescedWaiters.length > 0 && isQuiet()) {
      const waiting = quiescedWaiters;
      quiescedWaiters = [];
      for (const resolve of waiting) resolve();
    }
    if (roomWaiters.length > 0 && hasRoom()) {
      const waiting = roomWaiters;
      roomWaiters = [];
      for (const waiter of waiting) waiter.resolve();
    }
    if (completionWaiters.length > 0 && isComplete()) {
      const waiting = completionWaiters;
      completionWaiters = [];
      for (const resolve of waiting) resolve();
    }
  }

  /** How far handling is behind the feed: the age of the oldest change in a page not yet handled. */
  function lag(): SchedulerStats['lag'] {
    let oldest = Number.POSITIVE_INFINITY;
    for (const page of outstanding)
      if (page.changedAt !== undefined && page.changedAt < oldest) oldest = page.changedAt;
    if (oldest === Number.POSITIVE_INFINITY) return { behindMs: 0, oldestPendingChangeAt: undefined };
    return { behindMs: Math.max(0, Date.now() - oldest), oldestPendingChangeAt: new Date(oldest) };
  }

  function stats(): SchedulerStats {
    const now = performance.now();
    const survey = surveyStreams(streams.values(), now, settings);
    return {
      name,
      streams: { known: streams.size, active, ...survey.streams },
      handled: { events: totals.events, spans: totals.spans },
      failures: totals.failures,
      notYet: totals.notYet,
      duplicates: totals.duplicates,
      foreignDocuments: totals.foreign,
      parkingFailures: totals.parkingFailures,
      eventsPerSecond: rate.perSecond(now),
      latencyMs: latency.percentiles(),
      buffered: { events: buffered, pages: outstanding.size },
      gaps: { open: openGaps, ...survey.gaps, skippedAtStart: totals.skippedAtStart },
      lag: lag(),
      failing: survey.failing,
      stalled: survey.stalled,
      parked: survey.parked,
    };
  }

  return {
    ingest,
    ingestSpans: (leaseToken, spans) => accept(leaseToken, spans, []),
    revoke,
    open,
    caughtUp,
    handled: (leaseToken) => recent.of(leaseToken),
    quiesce,
    stats,
    awaitCompletion() {
      if (isComplete()) return Promise.resolve();
      return new Promise<void>((resolve) => completionWaiters.push(resolve));
    },
    waitFor(stream, version) {
      const until = Number(version) + 1;
      const state = stateOf(stream);
      if (state.writePosition >= until) return Promise.resolve('handled');
      const last = state.parkedSpans[state.parkedSpans.length - 1];
      if (state.phase === 'parked' && last !== undefined && endOf(last) >= until) return Promise.resolve('parked');
      return new Promise((resolve) => state.versionWaiters.push({ until, resolve }));
    },
    waitForFailure(stream, attempts = 1) {
      const state = streams.get(stream);
      const failures = state === undefined ? 0 : Math.max(state.attempts, state.malformed.length > 0 ? 1 : 0);
      if (state !== undefined && state.lastError !== undefined && failures >= attempts)
        return Promise.resolve(state.lastError);
      return new Promise((resolve) => failureWaiters.push({ stream, attempts, resolve }));
    },
    parked: {
      list: () => (deadLetters === undefined ? Promise.resolve([]) : deadLetters.list(name)),
      replay,
    },
    close() {
      closed = true;
      for (const state of streams.values()) cancelTimer(state);
      metrics.close();
      const waiting = roomWaiters;
      roomWaiters = [];
      for (const waiter of waiting) waiter.reject(new SchedulerClosed(name));
    },
  };
}

function toStore(deadLetters: NonNullable<StreamSchedulerOptions['parking']>['deadLetters']): DeadLetterStore {
  return 'items' in deadLetters ? cosmosDeadLetters(deadLetters) : deadLetters;
}

function endOf(span: Span): number {
  return Number(span.index) + span.events.length;
}

function lettersToSpans(letter: DeadLetter): Span[] {
  return letter.events.map((event) => ({
    stream: letter.stream,
    index: BigInt(event.index),
    events: [DeadLetter.eventFromJson(event)],
  }));
}
