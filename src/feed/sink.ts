/** One page read from the change feed of a lease's range, with the continuation that follows it. */
export interface FeedPage {
  /** the lease (feed range) the page came from */
  readonly leaseToken: string;
  readonly documents: readonly Record<string, unknown>[];
  /** the continuation token to checkpoint once every document of this page (and earlier ones) is handled */
  readonly continuation: string;
}

/** Where a lease's range is read from, as the sink needs it to place each stream's first events. */
export interface RangeStart {
  /**
   * The range is read from the beginning of the feed: every stream in it starts at version 0, whatever document
   * of it comes first (a re-written older batch can come after the tip).
   */
  readonly fromBeginning: boolean;
  /** handled positions (the next version to handle) of recently active streams, carried with the checkpoint */
  readonly handled: Readonly<Record<string, number>>;
}

/**
 * Where the processor pushes what it reads; the stream scheduler is the usual sink. A sink that wraps the scheduler
 * must pass the optional calls on too: without `open` and `caughtUp`, every range counts as read from the beginning
 * and a stream whose first versions never come waits (its gap reported as stale) instead of starting where it can.
 */
export interface FeedSink {
  /**
   * Accepts a page. Resolves once the sink has room for it (back-pressure on the reader) with `handled`, a promise
   * that resolves when every event in the page has been handled (or parked) — only then may the checkpoint move.
   */
  ingest(page: FeedPage): Promise<{ readonly handled: Promise<void> }>;
  /** The lease was lost or released: forget read-ahead for it that has not started (it will be re-read). */
  revoke(leaseToken: string): void;
  /** The lease was acquired and is about to be read from `start` (called before its first page). */
  open?(leaseToken: string, start: RangeStart): void;
  /**
   * Every page of the lease's range up to the head of the feed has been ingested (the feed answered "nothing new"):
   * no document read later can be older than what came so far, except one written again since.
   */
  caughtUp?(leaseToken: string): void;
  /** handled positions of the lease's recently active streams, to carry with its next checkpoint */
  handled?(leaseToken: string): Record<string, number>;
  /**
   * The processor is stopping: start no retries from now on. Resolves once nothing is running that could still
   * complete a page (pages held by failing streams or gaps stay unfinished, and are read again by the next owner).
   */
  quiesce?(): Promise<void>;
}
