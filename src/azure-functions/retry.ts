import type { ExponentialBackoffRetryOptions } from '@azure/functions';

/**
 * The retry policy every Cosmos DB trigger of a Tributary app should carry. The trigger checkpoints when the
 * invocation returns — even when it threw, once retries run out — so a bounded count would skip events for good.
 * Retrying forever (`-1`) never skips: a stream that keeps failing holds its range and shows up as lag and as
 * errors in the logs, where it can be fixed and the batch goes through.
 */
export const triggerRetry: ExponentialBackoffRetryOptions = {
  strategy: 'exponentialBackoff',
  maxRetryCount: -1,
  minimumInterval: { seconds: 2 },
  maximumInterval: { minutes: 5 },
};
