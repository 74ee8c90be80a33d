import type { StreamSpan } from '../../src/core/index.ts';
import type { FeedPage } from '../../src/feed/sink.ts';
import { type BatchDocument, eventsOf } from '../../src/store/index.ts';
import { createStreamScheduler, type StreamScheduler } from '../../src/streams/index.ts';
import { atLeast, measured, median } from '../harness/result.ts';
import { collectGarbage, sideBySide } from '../harness/side-by-side.ts';
import type { BenchContext } from '../harness/suite.ts';

/**
 * In-process dispatch with no I/O: pages built in memory are ingested by the scheduler, which parses them into
 * spans, dedupes, orders and dispatches them to a no-op handler; the clock runs from the first `ingest` until every
 * page's `handled` promise resolved.
 *
 * - `scheduler.events_per_sec`: tip documents of 10,000 streams, pages of 500 documents, 16 streams at a time.
 * - The shape of the peer anchor (10,000 streams × 100 events, 1,000-event pages, 100 streams at a time), twice:
 *   `scheduler.grouped.events_per_sec` (a stream's events in one document of one page) and
 *   `scheduler.spread.events_per_sec` (one event per document, a stream's events spread over 100 pages).
 * - `scheduler.documents.ratio`: the grouped events fed as Cosmos documents vs the same documents decoded by the
 *   store's plain decoder into spans for `ingestSpans`: what checking and reading documents costs on top of decoding
 *   and dispatch (both sides decode every event).
 */
export async function run(context: BenchContext): Promise<void> {
  const streams = 10_000;
  const eventsPerStream = context.quick ? 10 : 30;
  const pages = buildTipPages(streams, eventsPerStream, 500);
  const total = streams * eventsPerStream;
  const rates: number[] = [];
  for (let round = 0; round < context.rounds; round++) {
    collectGarbage();
    rates.push(await dispatch(pages, total, 16));
  }
  context.emit(
    measured('scheduler.events_per_sec', median(rates), 'events/s', {
      goal: atLeast(500_000),
      note: `${total.toLocaleString('en-US')} events on ${streams.toLocaleString('en-US')} streams (tip documents of ${eventsPerStream} events, pages of 500), no-op handler, 16 streams at a time, median of ${context.rounds} rounds`,
    }),
  );
  await peerShapes(context);
}

async function peerShapes(context: BenchContext): Promise<void> {
  const eventsPerStream = 100;
  // The grouped shape's rounds last about 0.1 s at the full size, so the quick run keeps it (at a fifth of it, a
  // round of 15 ms was at the mercy of one garbage collection); only the spread shape, 2 s a round, is cut.
  const groupedStreams = 10_000;
  const spreadStreams = context.quick ? 2_000 : 10_000;
  const groupedTotal = groupedStreams * eventsPerStream;
  const spreadTotal = spreadStreams * eventsPerStream;
  const grouped = groupedPages(groupedStreams, eventsPerStream, 1_000);
  const spread = spreadPages(spreadStreams, eventsPerStream, 1_000);
  const rounds = Math.max(context.rounds, 9);
  // One unmeasured round of each side first, so that neither median carries the JIT's warm-up.
  await dispatch(grouped, groupedTotal, 100);
  await dispatchDecoded(grouped, groupedTotal, 100);
  const ratio = await sideBySide(
    rounds,
    () => dispatch(grouped, groupedTotal, 100),
    () => dispatchDecoded(grouped, groupedTotal, 100),
  );
  const groupedRates = ratio.tributaryRuns;
  const spanRates = ratio.baselineRuns;
  const spreadRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    collectGarbage();
    spreadRates.push(await dispatch(spread, spreadTotal, 100));
  }
  const millions = (rates: readonly number[]) => rates.map((rate) => (rate / 1e6).toFixed(1)).join(' ');
  context.log(`scheduler.documents.ratio rounds (M events/s): documents ${millions(groupedRates)}`);
  context.log(`scheduler.documents.ratio rounds (M events/s): baseline ${millions(spanRates)}`);
  const shape = (streams: number) =>
    `${(streams * eventsPerStream).toLocaleString('en-US')} events on ${streams.toLocaleString('en-US')} streams × ${eventsPerStream}, pages of 1,000 events, no-op handler, 100 streams at a time, median of ${rounds} rounds`;
  context.emit(
    measured('scheduler.grouped.events_per_sec', median(groupedRates), 'events/s', {
      note: `${shape(groupedStreams)}; a stream's events in one document (a page holds 10 streams)`,
    }),
  );
  context.emit(
    measured('scheduler.spread.events_per_sec', median(spreadRates), 'events/s', {
      note: `${shape(spreadStreams)}; one event per document, each stream's events spread over ${eventsPerStream} pages`,
    }),
  );
  context.emit(
    measured('scheduler.documents.ratio', median(groupedRates), 'events/s', {
      goal: atLeast(0.85),
      baseline: median(spanRates),
      note: "the grouped shape fed as Cosmos documents to ingest (documents checked and decoded in one pass, spans read from the page) vs the baseline: the same documents decoded in the clock by the store's plain decoder (eventsOf, no checks) into spans given to ingestSpans — the same events, the same decode work; interleaved rounds, the side going first alternating, each run after a young-generation collection, after one unmeasured round of each. What reading and checking documents costs on top of decoding and dispatch",
    }),
  );
}

/** Events/s of a no-op handler over `pages`, each given to the scheduler by `feed` (documents or prepared spans). */
async function dispatchWith<P>(
  pages: readonly P[],
  total: number,
  maxConcurrentStreams: number,
  feed: (scheduler: StreamScheduler, page: P) => Promise<{ readonly handled: Promise<void> }>,
): Promise<number> {
  let handled = 0;
  const scheduler = createStreamScheduler({
    name: 'bench',
    maxConcurrentStreams,
    handle: async (span) => {
      handled += span.events.length;
      return undefined;
    },
  });
  const started = performance.now();
  const done: Promise<void>[] = [];
  for (const page of pages) done.push((await feed(scheduler, page)).handled);
  await Promise.all(done);
  const seconds = (performance.now() - started) / 1000;
  scheduler.close();
  if (handled !== total) throw new Error(`the scheduler handled ${handled} events, expected ${total}`);
  return total / seconds;
}

const dispatch = (pages: readonly FeedPage[], total: number, maxConcurrentStreams: number) =>
  dispatchWith(pages, total, maxConcurrentStreams, (scheduler, page) => scheduler.ingest(page));

/**
 * The baseline of `scheduler.documents.ratio`: the same documents, decoded in the clock by the store's plain
 * decoder (`eventsOf`: one TimelineEvent per stored event, as any reader must build) into spans given to
 * `ingestSpans` — the same events and the same decoding, without the document checks and the page reading that
 * `ingest` adds.
 */
const dispatchDecoded = (pages: readonly FeedPage[], total: number, maxConcurrentStreams: number) =>
  dispatchWith(pages, total, maxConcurrentStreams, (scheduler, page) =>
    scheduler.ingestSpans(
      page.leaseToken,
      page.documents.map((document): StreamSpan => {
        const batch = document as unknown as BatchDocument;
        return { stream: batch.p, index: BigInt(batch.i), events: eventsOf(batch) };
      }),
    ),
  );

const timestamp = new Date(0).toISOString();
const storedEvent = (k: number) => ({ t: timestamp, c: 'Ticked', d: { k } });

function paged(documents: readonly Record<string, unknown>[], perPage: number): FeedPage[] {
  const pages: FeedPage[] = [];
  for (let from = 0; from < documents.length; from += perPage) {
    pages.push({ leaseToken: '0', documents: documents.slice(from, from + perPage), continuation: `c${from}` });
  }
  return pages;
}

function buildTipPages(streams: number, eventsPerStream: number, pageSize: number): FeedPage[] {
  const documents: Record<string, unknown>[] = [];
  for (let s = 0; s < streams; s++) {
    const events = Array.from({ length: eventsPerStream }, (_, k) => storedEvent(k));
    documents.push({ id: '-1', p: `Bench-${s}`, i: 0, n: eventsPerStream, e: events, u: [], _lsn: s + 1 });
  }
  return paged(documents, pageSize);
}

/** One tip document per stream holding all its events: `eventsPerPage / eventsPerStream` streams a page. */
function groupedPages(streams: number, eventsPerStream: number, eventsPerPage: number): FeedPage[] {
  return buildTipPages(streams, eventsPerStream, Math.max(1, Math.floor(eventsPerPage / eventsPerStream)));
}

/** One batch document per event, written round-robin over the streams, so a stream's events span many pages. */
function spreadPages(streams: number, eventsPerStream: number, eventsPerPage: number): FeedPage[] {
  const documents: Record<string, unknown>[] = [];
  let lsn = 0;
  for (let k = 0; k < eventsPerStream; k++) {
    for (let s = 0; s < streams; s++) {
      documents.push({ id: String(k), p: `Bench-${s}`, i: k, n: k + 1, e: [storedEvent(k)], _lsn: ++lsn });
    }
  }
  return paged(documents, eventsPerPage);
}
