import type { StreamSpan } from '../core/index.ts';
import type { DeadLetter, MalformedDocumentRecord } from './dead-letter-store.ts';
import type { HandlerOutcome } from './handler.ts';
import type { PageClaim } from './page-progress.ts';

/** What a stream reports to its scheduler: how a handler call ended, and that its delay ran out. */
export interface StreamOwner {
  completed(state: StreamState, outcome: HandlerOutcome | undefined): void;
  failed(state: StreamState, error: unknown): void;
  timerFired(state: StreamState): void;
}

const unowned: StreamOwner = { completed() {}, failed() {}, timerFired() {} };

/** Shared by every state until its first malformed document or parked span (most streams never have one). */
const none: readonly never[] = Object.freeze([]);

/**
 * Where a stream is in the scheduler:
 * - `idle`: nothing to do, or waiting for a gap to fill (or held by a malformed document)
 * - `queued`: ready, waiting for a free handler slot
 * - `active`: its handler is running
 * - `delayed`: waiting for a retry (after a failure) or for a `notYet` delay
 * - `parking`: its events are being written to the dead letters
 * - `parked`: its events are in the dead letters; later events join them there until it is replayed
 * - `removed`: forgotten (its lease was revoked); a new state is created if it shows up again
 */
export type StreamPhase = 'idle' | 'queued' | 'active' | 'delayed' | 'parking' | 'parked' | 'removed';

export interface ReplayInProgress {
  /** the write position at which every replayed event has been handled */
  readonly until: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Everything the scheduler knows about one stream. Mutable on purpose: it is the scheduler's hot path. Positions
 * are numbers here (versions stay far below 2^53) because bigint arithmetic allocates; spans keep bigint indexes.
 * A scheduler keeps one per stream it has seen (up to `maxTrackedStreams`), so a state carries no closures and
 * shares its rarely used lists until it needs them of its own: a smaller state is less for the GC to copy.
 */
export class StreamState {
  phase: StreamPhase = 'idle';
  leaseToken: string | undefined;
  /** the next version to handle; -1 while unknown (a range not read from the beginning: the first span handed sets it) */
  writePosition = -1;
  /** the write position is 0 because the range is read from the beginning, and no event has been handled yet */
  assumedStart = false;
  /** spans waiting, sorted and coalesced (see `StreamSpan.merge`), all at or after the write position */
  pending: StreamSpan[] = [];
  /** the last pending span's events array was made by the scheduler and no handler holds it: appends may push */
  openTail = false;
  /** events in `pending` */
  buffered = 0;
  /** the pages this stream holds back, each until the write position reaches its claim */
  pageClaims: PageClaim[] = [];
  malformed: readonly MalformedDocumentRecord[] = none;

  /** the span the running handler was given, and when it started (performance.now()) */
  inFlight: StreamSpan | undefined;
  startedAt = 0;

  /** failed handler attempts in a row */
  attempts = 0;
  lastError: unknown;
  failingSince = 0;
  notYetCount = 0;
  notYetSince = 0;
  lastNotYetReason = '';
  /** when the stream last moved (or got work after having none), for the stalled report */
  progressAt = 0;
  gapSince = 0;
  timer: NodeJS.Timeout | undefined;

  parked: DeadLetter | undefined;
  parkedSpans: readonly StreamSpan[] = none;
  /** callers waiting for the dead-letter write in progress to settle */
  whenParkingSettles: Array<() => void> | undefined;
  replay: ReplayInProgress | undefined;
  /** the lease was revoked while the handler ran: forget the stream once it settles */
  forget = false;

  constructor(
    readonly stream: string,
    private readonly owner: StreamOwner = unowned,
  ) {}

  /** the handler call ended with `outcome` */
  onDone(outcome: HandlerOutcome | undefined): void {
    this.owner.completed(this, outcome);
  }

  /** the handler call threw or rejected */
  onFail(error: unknown): void {
    this.owner.failed(this, error);
  }

  /** the stream's delay (a retry or a `notYet`) ran out */
  onTimer(): void {
    this.owner.timerFired(this);
  }

  /** Failed attempts in a row as the failure waiters count them: a held malformed document counts as one. */
  get failures(): number {
    return Math.max(this.attempts, this.malformed.length > 0 ? 1 : 0);
  }

  /** Records a failure (a handler's, a malformed document, or a `notYet` past its bounds). */
  failedWith(error: unknown, now: number): void {
    this.lastError = error;
    if (this.failingSince === 0) this.failingSince = now;
  }

  /** The stream moved (or was replayed): its failures and `notYet` answers in a row start again from zero. */
  resetFailures(): void {
    this.attempts = 0;
    this.notYetCount = 0;
    this.notYetSince = 0;
    this.lastError = undefined;
    this.failingSince = 0;
  }
}
