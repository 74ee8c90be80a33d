import type { StreamSpan as Span } from '../core/index.ts';
import type { FeedSink } from '../feed/sink.ts';
import type { DeadLetter } from './dead-letter-store.ts';
import type { SchedulerStats } from './stats.ts';
import type { StreamProgress } from './waiters.ts';

/** The stream scheduler: a `FeedSink` for the change-feed processor, plus stats, waiting and parked streams. */
export interface StreamScheduler extends Required<FeedSink> {
  stats(): SchedulerStats;
  /** resolves when everything ingested so far has been handled or parked (a held failure keeps it waiting) */
  awaitCompletion(): Promise<void>;
  /**
   * Calls `watcher` at once with what the scheduler knows of `stream` (handled up to, parked, failing), then each
   * time that changes; returns a function that stops watching. The `/testing` waiters are built on it.
   */
  watch(stream: string, watcher: (progress: StreamProgress) => void): () => void;
  readonly parked: {
    /** the dead letters of this scheduler (read from the store) */
    list(): Promise<DeadLetter[]>;
    /**
     * Hands the parked events (and the ones that arrived while parked) to the handler again, in order, then
     * removes the dead letter and lets the stream flow normally. Rejects with `ReplayFailed` if it gets parked again.
     */
    replay(stream: string): Promise<void>;
  };
  /** stops timers and metric callbacks; pending pages are never resolved */
  close(): void;
  /**
   * Feeds spans read from another source than change-feed documents (an archive, a Kafka topic, a test); same
   * contract as `ingest`. A lease never `open`ed counts as read from the beginning (streams start at 0): open it
   * with `fromBeginning: false` to start each stream at the first version fed.
   */
  ingestSpans(leaseToken: string, spans: readonly Span[]): Promise<{ readonly handled: Promise<void> }>;
}
