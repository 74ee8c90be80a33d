import type { ConsumerStatus, ProblemStream } from './dashboard-model.ts';
import type { HostedConsumer } from './hosted-consumers.ts';

/** A hosted consumer's figures as the dashboard shows them: handled/stale/unreadable, streams in trouble, lag. */
export function consumerStatus(consumer: Pick<HostedConsumer, 'name' | 'topic' | 'stats'>): ConsumerStatus {
  const { summaries, scheduler, partitions } = consumer.stats();
  const rows = [...partitions]
    .sort((a, b) => Number(a.partition) - Number(b.partition))
    .map(({ partition, newest, committed, inFlight, lag }) => ({
      partition,
      newest: newest?.toString(),
      committed: committed?.toString(),
      inFlight,
      lag,
    }));
  return {
    name: consumer.name,
    topic: consumer.topic,
    handled: summaries.handled,
    stale: summaries.stale,
    unreadable: summaries.unreadable,
    failing: scheduler.streams.failing,
    parked: scheduler.streams.parked,
    lag: rows.reduce((sum, row) => sum + row.lag, 0),
    partitions: rows,
  };
}

/** The consumer's failing and parked streams, as the dashboard's problem rows (the consumer in the processor column). */
export async function consumerProblems(
  consumer: Pick<HostedConsumer, 'name' | 'stats' | 'parked'>,
): Promise<{ failing: ProblemStream[]; parked: ProblemStream[] }> {
  const { scheduler } = consumer.stats();
  const since = (forMs: number) => new Date(Date.now() - forMs).toISOString();
  const letters = scheduler.streams.parked > 0 ? await consumer.parked.list() : [];
  return {
    failing: scheduler.failing.map((failing) => ({
      processor: consumer.name,
      stream: failing.stream,
      since: since(failing.forMs),
      error: failing.error?.message,
      attempts: failing.attempts,
    })),
    parked: letters.map((letter) => ({
      processor: consumer.name,
      stream: letter.stream,
      since: letter.parkedAt,
      error: `${letter.error.name}: ${letter.error.message}`,
      attempts: letter.attempts,
    })),
  };
}
