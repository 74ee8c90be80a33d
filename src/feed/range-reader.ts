import type {
  ChangeFeedIteratorResponse,
  ChangeFeedPullModelIterator,
  ChangeFeedStartFrom,
  Container,
} from '@azure/cosmos';
import { startPageReadSpan } from '../tracing/spans.ts';
import { aborted, pause, unlessAborted } from './abortable.ts';
import type { CheckpointTracker } from './checkpoint-tracker.ts';
import type { FeedSink } from './sink.ts';

/** Counters of one range reader, part of the processor's stats. */
export interface RangeReaderStats {
  pages: number;
  documents: number;
  polls: number;
  errors: number;
  lastReadAt: Date | undefined;
}

export interface RangeReader {
  readonly stats: RangeReaderStats;
  /** stops reading; resolves when the loop has exited (a read in flight is abandoned, its page never ingested) */
  stop(): Promise<void>;
}

type Document = Record<string, unknown>;
type Response = ChangeFeedIteratorResponse<Document[]>;

/**
 * A range's first read, started before the range is owned (reading has no side effects): the lease write and the
 * first page then travel at the same time. Its page is handed to the sink only by the reader the range's owner starts.
 */
export interface FirstRead {
  readonly iterator: ChangeFeedPullModelIterator<Document>;
  readonly response: Promise<Response>;
}

export function startFirstRead(monitored: Container, start: ChangeFeedStartFrom, maxItemsPerPage: number): FirstRead {
  const iterator = monitored.items.getChangeFeedIterator<Document>({
    changeFeedStartFrom: start,
    maxItemCount: maxItemsPerPage,
  });
  const response = iterator.readNext();
  // nobody may ever ask for it (the lease went to another instance); a failure is seen by whoever does
  response.catch(() => undefined);
  return { iterator, response };
}

export interface RangeReaderOptions {
  readonly leaseToken: string;
  /** the range's iterator and its first read, begun by `startFirstRead` (maybe before the lease was taken) */
  readonly firstRead: FirstRead;
  readonly sink: FeedSink;
  readonly tracker: CheckpointTracker;
  /** the pause after the first read that found nothing new (ms); it doubles with each further empty read */
  readonly pollIntervalMs: number;
  /** the cap of that pause (ms) */
  readonly maxPollIntervalMs: number;
  readonly onError: (error: unknown) => void;
  /** the sink refused a page: the reader has stopped, the range must be re-read from its checkpoint */
  readonly onFailed: (error: unknown) => void;
}

const maxBackoffMs = 10_000;

/**
 * The pause before the next read after `emptyReads` reads in a row found nothing new (1 for the first): the poll
 * interval, doubled for each further empty read, capped at `maxMs` (never below the poll interval).
 */
export function idlePauseMs(emptyReads: number, pollIntervalMs: number, maxMs: number): number {
  const cap = Math.max(pollIntervalMs, maxMs);
  return Math.min(cap, pollIntervalMs * 2 ** Math.min(30, Math.max(0, emptyReads - 1)));
}

/**
 * Reads one lease's range in a loop, one page ahead of the sink. A page with documents goes to the sink (awaiting
 * `ingest` is the back-pressure) and its `handled` promise to the checkpoint tracker, and the next read follows at
 * once; a 304 (nothing new) backs off (`idlePauseMs`) until a read finds work again. A 304 still yields a newer
 * continuation, which is tracked too so that a lease started "now" gets a checkpoint before its first change.
 */
export function createRangeReader(options: RangeReaderOptions): RangeReader {
  const controller = new AbortController();
  const signal = controller.signal;
  const stats: RangeReaderStats = { pages: 0, documents: 0, polls: 0, errors: 0, lastReadAt: undefined };
  const { iterator } = options.firstRead;

  // when the read in flight began: the start of its page's span (reads are one at a time: a read-ahead begins after)
  let readStartedAt = new Date();
  const readNext = (): Promise<Response> => {
    readStartedAt = new Date();
    const reading = iterator.readNext();
    // A read-ahead may be abandoned (stop, a refused page): its failure then concerns nobody.
    reading.catch(() => undefined);
    return reading;
  };

  const loop = async () => {
    let failures = 0;
    let emptyReads = 0;
    let lastTracked: string | undefined;
    let readAhead: Promise<Response> | undefined = options.firstRead.response;
    while (!signal.aborted) {
      const reading = readAhead ?? readNext();
      readAhead = undefined;
      let response: Response | typeof aborted;
      try {
        response = await unlessAborted(reading, signal);
      } catch (error) {
        // The iterator only moves its position on success, so the same read is simply retried.
        failures += 1;
        stats.errors += 1;
        options.onError(error);
        await pause(Math.min(maxBackoffMs, options.pollIntervalMs * 2 ** failures), signal);
        continue;
      }
      if (response === aborted) return;
      failures = 0;
      stats.lastReadAt = new Date();
      const continuation = response.continuationToken;
      if (response.statusCode === 304 || response.result.length === 0) {
        stats.polls += 1;
        options.sink.caughtUp?.(options.leaseToken);
        if (continuation !== lastTracked) options.tracker.add(continuation, Promise.resolve());
        lastTracked = continuation;
        emptyReads += 1;
        await pause(idlePauseMs(emptyReads, options.pollIntervalMs, options.maxPollIntervalMs), signal);
        continue;
      }
      emptyReads = 0;
      const pageSpan = startPageReadSpan(options.leaseToken, response.result.length, readStartedAt);
      stats.pages += 1;
      stats.documents += response.result.length;
      // The next page is asked for before this one is handed over, so that the feed serves it while this one is
      // decoded and dispatched: at most one page per range is held beyond what the sink has accepted.
      readAhead = readNext();
      const accepted = await unlessAborted(
        options.sink.ingest({ leaseToken: options.leaseToken, documents: response.result, continuation }),
        signal,
      ).finally(() => pageSpan.end());
      if (accepted === aborted) return;
      options.tracker.add(continuation, accepted.handled);
      lastTracked = continuation;
    }
  };

  const done = loop().catch((error: unknown) => {
    stats.errors += 1;
    options.onFailed(error);
  });

  return {
    stats,
    async stop() {
      controller.abort();
      await done;
    },
  };
}
