import type { ProblemStream, PublisherHealth } from './dashboard-model.ts';

/**
 * A stalled stream always says why: the error of its last failed attempt when it is failing too, the broker's last
 * error for the summary publisher, else what stalling means.
 */
export function explainStalled(
  stalled: ProblemStream,
  failing: readonly ProblemStream[],
  kind: string,
  publisher: PublisherHealth | undefined,
): ProblemStream {
  if (stalled.error) return stalled;
  const failure = failing.find((candidate) => candidate.stream === stalled.stream)?.error;
  if (failure) return { ...stalled, error: failure };
  if (kind === 'summaries' && publisher?.state === 'retrying' && publisher.lastError) {
    return { ...stalled, error: `publishing fails: ${publisher.lastError}` };
  }
  return {
    ...stalled,
    error: 'no progress: the handler is still running, or the stream waits for earlier events to arrive',
  };
}
