import type { FeedPage } from '../../src/feed/sink.ts';
import { createStreamScheduler } from '../../src/streams/index.ts';
import { atLeast, measured, median } from '../harness/result.ts';
import type { BenchContext } from '../harness/suite.ts';

/**
 * `scheduler.events_per_sec`: in-process dispatch with no I/O. Pages of tip documents for 10,000 streams, built in
 * memory, are ingested by the scheduler, which parses them into spans, dedupes, orders and dispatches them to a
 * no-op handler; the clock runs from the first `ingest` until every page's `handled` promise resolved.
 */
export async function run(context: BenchContext): Promise<void> {
  const streams = 10_000;
  const eventsPerStream = context.quick ? 10 : 30;
  const pages = buildPages(streams, eventsPerStream, 500);
  const total = streams * eventsPerStream;
  const rates: number[] = [];
  for (let round = 0; round < context.rounds; round++) {
    rates.push(await dispatch(pages, total));
  }
  context.emit(
    measured('scheduler.events_per_sec', median(rates), 'events/s', {
      goal: atLeast(500_000),
      note: `${total.toLocaleString('en-US')} events on ${streams.toLocaleString('en-US')} streams (tip documents of ${eventsPerStream} events, pages of 500), no-op handler, median of ${context.rounds} rounds`,
    }),
  );
}

async function dispatch(pages: readonly FeedPage[], total: number): Promise<number> {
  let handled = 0;
  const scheduler = createStreamScheduler({
    name: 'bench',
    handle: async (span) => {
      handled += span.events.length;
      return undefined;
    },
  });
  const started = performance.now();
  const done: Promise<void>[] = [];
  for (const page of pages) done.push((await scheduler.ingest(page)).handled);
  await Promise.all(done);
  const seconds = (performance.now() - started) / 1000;
  scheduler.close();
  if (handled !== total) throw new Error(`the scheduler handled ${handled} events, expected ${total}`);
  return total / seconds;
}

function buildPages(streams: number, eventsPerStream: number, pageSize: number): FeedPage[] {
  const timestamp = new Date(0).toISOString();
  const documents: Record<string, unknown>[] = [];
  for (let s = 0; s < streams; s++) {
    const events = Array.from({ length: eventsPerStream }, (_, k) => ({ t: timestamp, c: 'Ticked', d: { k } }));
    documents.push({ id: '-1', p: `Bench-${s}`, i: 0, n: eventsPerStream, e: events, u: [], _lsn: s + 1 });
  }
  const pages: FeedPage[] = [];
  for (let from = 0; from < documents.length; from += pageSize) {
    pages.push({ leaseToken: '0', documents: documents.slice(from, from + pageSize), continuation: `c${from}` });
  }
  return pages;
}
