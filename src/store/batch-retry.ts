import { TributaryError } from '../core/index.ts';

/**
 * Statuses of one operation inside a transactional batch's 207 answer that heal by waiting: throttled (429), a
 * write conflict to retry (449), a timeout (408), the partition unavailable (503). The SDK retries only a 429 of
 * the whole response, so these reach the store as a failed batch: nothing was written, the batch may be sent again.
 */
const transientStatuses = new Set([408, 429, 449, 503]);

export function isTransientOperationStatus(status: number | undefined): boolean {
  return status !== undefined && transientStatuses.has(status);
}

/** How an append retries a batch whose failing operation was transient. */
export interface BatchRetry {
  /** attempts in all, the first included */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultBatchRetry: BatchRetry = { maxAttempts: 9, initialDelayMs: 50, maxDelayMs: 2_000 };

/**
 * The wait before attempt `attempt + 1`: what Cosmos DB asked for (`x-ms-retry-after-ms`), else exponential
 * backoff with full jitter, so that writers throttled together do not come back together.
 */
export function batchRetryDelay(retry: BatchRetry, attempt: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, retry.maxDelayMs);
  const ceiling = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (attempt - 1));
  return Math.random() * ceiling;
}

/** An append kept failing on a transient status (throttling, timeout, unavailable) until its attempts ran out. */
export class AppendUnavailable extends TributaryError {
  readonly code = 'AppendUnavailable';
  constructor(
    readonly stream: string,
    readonly status: number,
    readonly attempts: number,
  ) {
    super(
      `The append to stream ${stream} failed ${attempts} times with a transient status (last: ${status}) in its ` +
        'transactional batch; nothing was written. The partition is throttled or unavailable: retry the command ' +
        "later, or raise the container's throughput if 429s persist.",
    );
  }
}
