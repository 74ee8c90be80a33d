import type { StreamSpan as Span } from '../core/index.ts';
import { DeadLetter, type MalformedDocumentRecord } from './dead-letter-store.ts';
import { claimsToHoldEvents } from './document-kind.ts';

/** A document that claims to hold events but could not be read: its stream is held (or parked) with it. */
export interface MalformedDocument {
  readonly stream: string;
  readonly record: MalformedDocumentRecord;
  readonly error: unknown;
}

/** What a page of change-feed documents holds, for the scheduler. */
export interface PageContents {
  readonly spans: Span[];
  readonly malformed: MalformedDocument[];
  /** documents passed over because they do not claim to hold events (another writer's) */
  readonly foreign: number;
  /** epoch ms of the oldest change in the page, if its documents say */
  readonly oldestChangeAt: number | undefined;
}

/** Reads change-feed documents into spans: the scheduler's only knowledge of how a store writes its documents. */
export interface DocumentReader {
  readPage(documents: readonly Record<string, unknown>[]): PageContents;
  /** one document: a span, `undefined` for one that holds no events; throws if it is broken */
  readDocument(document: Record<string, unknown>): Span | undefined;
}

/**
 * The reader of the events container's tip and batch documents, around `readSpan` (the store's
 * `spanFromDocument`): other writers' documents are counted as foreign, a broken one is kept, with its error, for
 * its stream (the partition key `p`), and `_ts` (seconds, written by Cosmos) dates the page.
 */
export function eventDocuments(readSpan: (document: Record<string, unknown>) => Span | undefined): DocumentReader {
  return {
    readDocument: readSpan,
    readPage(documents) {
      const spans: Span[] = [];
      const malformed: MalformedDocument[] = [];
      let foreign = 0;
      let oldest: number | undefined;
      for (const document of documents) {
        const { _ts: ts } = document;
        if (typeof ts === 'number' && (oldest === undefined || ts < oldest)) oldest = ts;
        if (!claimsToHoldEvents(document)) {
          foreign++;
          continue;
        }
        try {
          const span = readSpan(document);
          if (span !== undefined) spans.push(span);
        } catch (error) {
          const stream = typeof document.p === 'string' ? document.p : '(unknown stream)';
          malformed.push({ stream, record: { document, error: DeadLetter.errorToJson(error) }, error });
        }
      }
      return { spans, malformed, foreign, oldestChangeAt: oldest === undefined ? undefined : oldest * 1000 };
    },
  };
}
