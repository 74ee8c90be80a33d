import type { StreamSpan as Span } from '../core/index.ts';
import { SpanKind, startLinkedSpan } from '../tracing/linked-work.ts';
import { inSpan, SpanAttributes } from '../tracing/spans.ts';
import { DeadLetter, type DeadLetterStore } from './dead-letter-store.ts';
import { ReplayFailed, StreamNotParked } from './errors.ts';
import { type RetrySettings, retryDelay, type Timers } from './failure-policy.ts';
import type { PageClaim, PageProgressTracker } from './page-progress.ts';
import { StreamSpan } from './stream-span.ts';
import type { StreamState } from './stream-state.ts';
import type { StreamStates } from './stream-states.ts';

/** What parking needs from the rest of the scheduler. */
export interface ParkingHost {
  readonly states: StreamStates;
  readonly pages: PageProgressTracker;
  readonly timers: Timers;
  /** reads a parked malformed document again at replay (the codec, or the document, may have been fixed) */
  reread(document: Record<string, unknown>): Span | undefined;
  /** the stream is parked up to write position `until` */
  parked(state: StreamState, until: number): void;
  /** the stream got work (its replay): route it, then let others run */
  settle(state: StreamState): void;
  /** something finished: let queued streams run and wake whoever waits */
  changed(): void;
}

const removeAttempts = 5;

/**
 * Dead letters: a failing stream's pending events (and malformed documents) are written to the store, its pages
 * released, and later events of the stream join its dead letter until `replay` hands them to the handler again. A
 * failed write is retried with the retry backoff, holding the stream's pages meanwhile.
 */
export class Parking {
  /** dead-letter writes in flight (or waiting to be retried) */
  writes = 0;
  /** replays not yet finished */
  replays = 0;
  /** dead-letter writes that failed */
  failures = 0;
  private readonly leasesChecked = new Set<string>();
  private readonly checks = new Map<string, Promise<void>>();

  constructor(
    private readonly store: DeadLetterStore,
    private readonly name: string,
    private readonly retry: RetrySettings,
    private readonly host: ParkingHost,
  ) {}

  list(): Promise<DeadLetter[]> {
    return this.store.list(this.name);
  }

  /** Moves the stream's pending events (and malformed documents) into its dead letter, creating or extending it. */
  park(state: StreamState, error: unknown, reason: DeadLetter['reason']): void {
    const existing = state.parked;
    const spans = StreamSpan.merge([...state.parkedSpans, ...state.pending]);
    const letter: DeadLetter = {
      id: DeadLetter.id(this.name, state.stream),
      stream: state.stream,
      processor: this.name,
      error: existing?.error ?? DeadLetter.errorToJson(error),
      reason: existing?.reason ?? reason,
      events: spans.flatMap((span) => span.events.map(DeadLetter.eventToJson)),
      malformed: [...(existing?.malformed ?? []), ...state.malformed],
      attempts: existing?.attempts ?? state.attempts,
      parkedAt: existing?.parkedAt ?? new Date().toISOString(),
    };
    const claims = state.pageClaims;
    state.pageClaims = [];
    this.host.states.clearWork(state);
    state.phase = 'parking';
    this.writes++;
    const traced = startLinkedSpan(`park ${this.name}`, SpanKind.INTERNAL, letter.events, () => ({
      [SpanAttributes.processor]: this.name,
      [SpanAttributes.stream]: state.stream,
      [SpanAttributes.eventCount]: letter.events.length,
      [SpanAttributes.outcome]: letter.reason,
      [SpanAttributes.errorType]: letter.error.name,
    }));
    this.write(letter, 1, () => {
      traced.span.end();
      this.written(state, letter, spans, claims);
    });
  }

  /** Whether the parked streams of this lease are known (see `checkLease`). */
  hasChecked(leaseToken: string): boolean {
    return this.leasesChecked.has(leaseToken);
  }

  /**
   * A lease we did not hold before may carry streams another instance parked: learn them, so that their later
   * events join the dead letter instead of overtaking it. One load at a time per lease.
   */
  checkLease(leaseToken: string): Promise<void> {
    let checking = this.checks.get(leaseToken);
    if (checking === undefined) {
      checking = this.load().then(
        () => {
          this.leasesChecked.add(leaseToken);
          this.checks.delete(leaseToken);
        },
        (error: unknown) => {
          this.checks.delete(leaseToken);
          throw error;
        },
      );
      this.checks.set(leaseToken, checking);
    }
    return checking;
  }

  forgetLease(leaseToken: string): void {
    this.leasesChecked.delete(leaseToken);
  }

  /**
   * Hands the stream's parked events (and those that arrived while parked) back to the handler; resolves once they
   * are handled and the dead letter removed, rejects with `ReplayFailed` if the stream is parked again.
   * @throws StreamNotParked if this scheduler has not parked the stream
   */
  replay(stream: string): Promise<void> {
    return inSpan(
      `replay ${this.name}`,
      { attributes: { [SpanAttributes.processor]: this.name, [SpanAttributes.stream]: stream } },
      () => this.replayParked(stream),
    );
  }

  private async replayParked(stream: string): Promise<void> {
    if (this.leasesChecked.size === 0) await this.load();
    const state = this.host.states.get(stream);
    while (state?.phase === 'parking') await untilParkingSettles(state);
    if (state === undefined || state.phase !== 'parked' || state.parked === undefined)
      throw new StreamNotParked(stream, this.name);
    const reread: Span[] = [];
    for (const { document } of state.parked.malformed) {
      const span = this.host.reread(document as Record<string, unknown>);
      if (span !== undefined) reread.push(span);
    }
    const spans = StreamSpan.merge([...state.parkedSpans, ...reread]);
    const last = spans[spans.length - 1];
    state.parked = undefined;
    state.parkedSpans = [];
    state.phase = 'idle';
    state.resetFailures();
    const position = state.writePosition;
    this.host.states.setPending(state, position < 0 ? spans : StreamSpan.dropListBeforeIndex(spans, BigInt(position)));
    state.progressAt = performance.now();
    this.replays++;
    const until = last === undefined ? position : endOf(last);
    const done = new Promise<void>((resolve, reject) => {
      state.replay = { until, resolve, reject };
    });
    if (position >= until) this.finishReplay(state);
    this.host.settle(state);
    return done;
  }

  /** The replayed stream has handled every replayed event: its dead letter is removed (retried a few times). */
  finishReplay(state: StreamState): void {
    const { resolve, reject } = state.replay!;
    state.replay = undefined;
    const remove = (attempt: number): void => {
      this.store.remove(this.name, state.stream).then(
        () => this.replayEnded(resolve),
        (error: unknown) => {
          if (attempt >= removeAttempts) this.replayEnded(() => reject(error));
          else setTimeout(() => remove(attempt + 1), retryDelay(this.retry, attempt));
        },
      );
    };
    remove(1);
  }

  private replayEnded(settle: () => void): void {
    this.replays--;
    settle();
    this.host.changed();
  }

  private write(letter: DeadLetter, attempt: number, done: () => void): void {
    this.store.put(letter).then(done, () => {
      this.failures++;
      this.host.timers.after(retryDelay(this.retry, attempt), () => this.write(letter, attempt + 1, done));
    });
  }

  private written(state: StreamState, letter: DeadLetter, spans: Span[], claims: readonly PageClaim[]): void {
    this.writes--;
    state.phase = 'parked';
    state.parked = letter;
    state.parkedSpans = spans;
    this.host.pages.releaseAll(claims);
    const last = spans[spans.length - 1];
    this.host.parked(state, last === undefined ? state.writePosition : endOf(last));
    if (state.replay !== undefined) {
      const { reject } = state.replay;
      state.replay = undefined;
      this.replays--;
      reject(new ReplayFailed(state.stream, state.lastError));
    }
    // Events (or malformed documents) that came while writing: they join the letter.
    if (state.pending.length > 0 || state.malformed.length > 0) this.park(state, undefined, letter.reason);
    else {
      const settled = state.whenParkingSettles;
      state.whenParkingSettles = undefined;
      for (const resolve of settled ?? []) resolve();
    }
    this.host.changed();
  }

  /** Learns the streams parked in the store, and forgets those parked here but replayed elsewhere since. */
  private async load(): Promise<void> {
    const letters = await this.store.list(this.name);
    const states = this.host.states;
    const inStore = new Set<string>();
    for (const letter of letters) {
      inStore.add(letter.stream);
      const state = states.stateOf(letter.stream);
      if (state.phase !== 'idle' || state.pending.length > 0 || state.parked !== undefined) continue;
      state.phase = 'parked';
      state.parked = letter;
      state.parkedSpans = StreamSpan.merge(spansOf(letter));
    }
    for (const state of states.values()) {
      if (state.phase !== 'parked' || inStore.has(state.stream)) continue;
      state.phase = 'idle';
      state.parked = undefined;
      state.parkedSpans = [];
      state.writePosition = -1;
      state.assumedStart = false;
    }
  }
}

function untilParkingSettles(state: StreamState): Promise<void> {
  return new Promise((resolve) => {
    state.whenParkingSettles ??= [];
    state.whenParkingSettles.push(resolve);
  });
}

function endOf(span: Span): number {
  return Number(span.index) + span.events.length;
}

function spansOf(letter: DeadLetter): Span[] {
  return letter.events.map((event) => ({
    stream: letter.stream,
    index: BigInt(event.index),
    events: [DeadLetter.eventFromJson(event)],
  }));
}
