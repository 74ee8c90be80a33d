import type { SummaryPublisher } from '../summaries/publisher.ts';
import type { PublisherHealth } from './dashboard-model.ts';
import { scrubSecrets } from './secret-scrub.ts';

/**
 * Watches a summary publisher's publishes: the last success, the last failure and since when publishing has been
 * failing. The broker's state is judged by what publishing does, which is what an operator needs to know.
 */
export function watchPublisher(inner: SummaryPublisher, now: () => number = Date.now) {
  let lastPublishedAt: number | undefined;
  let lastError: string | undefined;
  let downSince: number | undefined;
  let failures = 0;
  const iso = (at: number | undefined) => (at === undefined ? undefined : new Date(at).toISOString());
  const publisher: SummaryPublisher = {
    async publish(record) {
      try {
        await inner.publish(record);
      } catch (error) {
        failures++;
        downSince ??= now();
        lastError = scrubSecrets(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        throw error;
      }
      lastPublishedAt = now();
      downSince = undefined;
    },
    close: () => inner.close(),
  };
  return {
    publisher,
    health(): PublisherHealth {
      return {
        state: downSince !== undefined ? 'retrying' : lastPublishedAt !== undefined ? 'connected' : 'idle',
        lastPublishedAt: iso(lastPublishedAt),
        lastError,
        downSince: iso(downSince),
        failures,
      };
    },
  };
}
export type WatchedPublisher = ReturnType<typeof watchPublisher>;
