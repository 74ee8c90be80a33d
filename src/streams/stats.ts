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
  readonly eventsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly samples: number };
  readonly buffered: { readonly events: number; readonly pages: number };
  readonly gaps: { readonly open: number; readonly stale: number; readonly oldestMs: number };
  /** up to 20 of each, worst first */
  readonly failing: readonly StreamAttention[];
  readonly stalled: readonly StreamAttention[];
  readonly parked: readonly string[];
}
