const ignore = (): void => {};

/** A page being handled: how many of its streams still have to reach the version the page carried. */
export class PageProgress {
  remaining = 0;
  revoked = false;
  resolve: () => void = ignore;
  constructor(
    readonly leaseToken: string,
    /** epoch ms of the oldest change in the page, when its documents carry one */
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

/** The claim of a page that carried a malformed document: only parking the stream releases it. */
export const heldUntilParked = Number.POSITIVE_INFINITY;

/** How far the reader may run ahead of handling. */
export interface ReadAheadLimits {
  /** pages read but not handled */
  readonly maxReadAhead: number;
  /** events buffered across all streams */
  readonly maxBufferedEvents: number;
}

/**
 * The pages read and not yet handled, and the streams' claims on them. A page is handled (its `handled` promise
 * resolves, and the feed may checkpoint past it) once every stream it touched has reached the version it carried,
 * or has been parked; a revoked lease's pages never resolve (whoever holds the lease now reads them again).
 */
export class PageProgressTracker {
  private readonly outstanding = new Set<PageProgress>();

  /** pages read and not yet handled */
  get size(): number {
    return this.outstanding.size;
  }

  /** The stream holding `claims` holds `page` until its write position reaches `until` (one claim per page). */
  claim(claims: PageClaim[], page: PageProgress, until: number): void {
    const last = claims[claims.length - 1];
    if (last !== undefined && last.page === page) {
      if (until > last.until) last.until = until;
      return;
    }
    page.remaining++;
    claims.push(new PageClaim(page, until));
  }

  /** The stream reached `position`: the claims it satisfies are released (removed from `claims`, in place). */
  releaseUpTo(claims: PageClaim[], position: number): void {
    if (claims.length === 0) return;
    let kept = 0;
    for (const claim of claims) {
      if (claim.until <= position) this.release(claim.page);
      else claims[kept++] = claim;
    }
    claims.length = kept;
  }

  /** The stream was parked: all its claims are released. */
  releaseAll(claims: readonly PageClaim[]): void {
    for (const claim of claims) this.release(claim.page);
  }

  /** Every span of `page` has been claimed: resolves once all claims are released (at once if there are none). */
  track(page: PageProgress): Promise<void> {
    if (page.remaining === 0) return Promise.resolve();
    this.outstanding.add(page);
    return new Promise<void>((resolve) => (page.resolve = resolve));
  }

  /** The lease was lost: its pages are dropped and will never resolve. */
  revoke(leaseToken: string): void {
    for (const page of this.outstanding) {
      if (page.leaseToken !== leaseToken) continue;
      page.revoked = true;
      this.outstanding.delete(page);
    }
  }

  /** epoch ms of the oldest change in a page not yet handled, if any page carries one */
  oldestChangeAt(): number | undefined {
    let oldest: number | undefined;
    for (const { changedAt } of this.outstanding)
      if (changedAt !== undefined && (oldest === undefined || changedAt < oldest)) oldest = changedAt;
    return oldest;
  }

  private release(page: PageProgress): void {
    if (--page.remaining === 0 && !page.revoked) {
      this.outstanding.delete(page);
      page.resolve();
    }
  }
}

/**
 * Whether the reader may hand over another page: read-ahead and buffer within their limits, or, when full, nothing
 * can move (`stuck`: only gaps remain open), since reading on is then the only way to fill them.
 */
export function mayReadAhead(pages: number, bufferedEvents: number, limits: ReadAheadLimits, stuck: () => boolean) {
  return (pages < limits.maxReadAhead && bufferedEvents < limits.maxBufferedEvents) || stuck();
}
