import type { StreamSpan } from '../core/index.ts';
import type { DeadLetter, MalformedDocumentRecord } from './dead-letter-store.ts';
import type { HandlerOutcome } from './handler.ts';

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
const ignore = (): void => {};

export type StreamPhase = 'idle' | 'queued' | 'active' | 'delayed' | 'parking' | 'parked' | 'removed';

/** A page being handled: how many of its streams still have to reach the version the page carried. */
export class PageProgress {
  remaining = 0;
  revoked = false;
  resolve: () => void = ignore;
  constructor(
    readonly leaseToken: string,
    /** epoch ms of the oldest change (`_ts`) in the page, when its documents carry one */
    readonly changedAt: number | undefined = undefined,
  ) {}
}

/** A page's claim on one stream: the page is not handled before the stream's write position reaches `until`. */
export class PageClaim {
  constructor(
    readonly page: PageProgress,
    public until: number,
  ) {}
}

/** Someone waiting (`waitFor`) for the stream to be handled (or parked) past a version. */
export interface VersionWaiter {
  /** the write position that satisfies the wait (the awaited version + 1) */
  readonly until: number;
  readonly resolve: (outcome: 'handled' | 'parked') => void;
}

export interface ReplayInProgress {
  readonly until: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Everything the scheduler knows about one stream. Mutable on purpose: it is the scheduler's hot path. Positions
 * are numbers here (versions stay far below 2^53) because bigint arithmetic allocates; spans keep bigint indexes.
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
  pageClaims: PageClaim[] = [];
  versionWaiters: VersionWaiter[] = [];
  malformed: MalformedDocumentRecord[] = [];

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
  parkedSpans: StreamSpan[] = [];
  whenParkingSettles: Array<() => void> = [];
  replay: ReplayInProgress | undefined;
  /** the lease was revoked while the handler ran: forget the stream once it settles */
  forget = false;

  onDone: (outcome: HandlerOutcome | undefined) => void = ignore;
  onFail: (error: unknown) => void = ignore;
  onTimer: () => void = ignore;

  constructor(readonly stream: string) {}
}
