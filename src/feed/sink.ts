/** One page read from the change feed of a lease's range, with the continuation that follows it. */
export interface FeedPage {
  /** the lease (feed range) the page came from */
  readonly leaseToken: string;
  readonly documents: readonly Record<string, unknown>[];
  /** the continuation token to checkpoint once every document of this page (and earlier ones) is handled */
  readonly continuation: string;
}

/** Where the processor pushes what it reads; the stream scheduler is the usual sink. */
export interface FeedSink {
  /**
   * Accepts a page. Resolves once the sink has room for it (back-pressure on the reader) with `handled`, a promise
   * that resolves when every event in the page has been handled (or parked) — only then may the checkpoint move.
   */
  ingest(page: FeedPage): Promise<{ readonly handled: Promise<void> }>;
  /** The lease was lost or released: forget read-ahead for it that has not started (it will be re-read). */
  revoke(leaseToken: string): void;
}
