import type { Container } from '@azure/cosmos';
import type { MeterProvider } from '@opentelemetry/api';
import { z } from 'zod';
import { parseOptions } from '../core/index.ts';
import type { DeadLetterStore } from './dead-letter-store.ts';
import { InvalidSchedulerOptions } from './errors.ts';
import type { StreamHandler } from './handler.ts';

const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();

const retrySchema = z.strictObject({
  /** delay before the first retry of a failing stream */
  initialDelayMs: nonNegative.default(100),
  /** the delay doubles (times `factor`) per attempt up to this ceiling */
  maxDelayMs: nonNegative.default(30_000),
  factor: z.number().min(1).default(2),
});

const notYetSchema = z.strictObject({
  /** how long a stream whose handler said `notYet` waits before it is offered again */
  delayMs: nonNegative.default(250),
  /** after this many `notYet` answers in a row the stream counts as failing (and is parked, if parking is on) */
  maxAttempts: positiveInt.default(1_000),
  /** ... or after this long without progress, whichever comes first */
  maxWaitMs: nonNegative.default(10 * 60_000),
});

const schema = z.strictObject({
  /** names the scheduler in metrics and in dead-letter documents; use the processor's name */
  name: z.string().min(1).default('default'),
  handle: z.custom<StreamHandler>((value) => typeof value === 'function', 'handle must be a function'),
  /** how many streams may be handled at the same time (each stream still has at most one handler running) */
  maxConcurrentStreams: positiveInt.default(16),
  /** the most events one handler call gets; a longer backlog is handed over in several calls, in order */
  maxEventsPerSpan: positiveInt.default(1_000),
  /** how many pages may be read ahead of the oldest page not yet handled; `ingest` waits beyond that */
  maxReadAhead: positiveInt.default(32),
  /** how many events may be buffered (waiting for their turn or for a gap to fill); `ingest` waits beyond that */
  maxBufferedEvents: positiveInt.default(100_000),
  retry: retrySchema.prefault({}),
  notYet: notYetSchema.prefault({}),
  parking: z
    .strictObject({
      /** the `dead-letters` container, or any other `DeadLetterStore` */
      deadLetters: z.custom<Container | DeadLetterStore>((value) => typeof value === 'object' && value !== null),
      /** handler attempts before a failing stream is parked (a malformed document is parked at once) */
      afterAttempts: positiveInt.default(5),
    })
    .optional(),
  /**
   * how many streams' write positions are remembered; beyond it, idle streams are forgotten (oldest first). A
   * forgotten stream is placed again like a stream never seen (see `carriedPositions` and the README's "Delivery
   * guarantees"), so a tip re-delivering events it had handled may hand them to the handler once more
   */
  maxTrackedStreams: positiveInt.default(100_000),
  /**
   * how many of a lease's most recently handled streams have their positions carried with its checkpoint, so that
   * after a graceful restart or a handover their tips are not handed again; 0 carries none. Each costs about the
   * length of the stream name plus 10 bytes in the lease document, written at every checkpoint
   */
  carriedPositions: z.number().int().nonnegative().default(1_000),
  /** a stream with work that has not moved for this long is reported as stalled */
  stallAfterMs: nonNegative.default(30_000),
  /** a gap in a stream's versions open for this long is reported (stats `gaps.stale`, metric `gaps.stale`) */
  gapWarningAfterMs: nonNegative.default(10_000),
  /** where metrics go; the global OpenTelemetry meter provider by default */
  meterProvider: z.custom<MeterProvider>((value) => typeof value === 'object' && value !== null).optional(),
});

/** What `createStreamScheduler` accepts; every field but `handle` has a default. */
export type StreamSchedulerOptions = z.input<typeof schema>;
export type SchedulerSettings = z.output<typeof schema>;

/**
 * Parses the options once, with their defaults.
 * @throws InvalidSchedulerOptions listing every broken option
 */
export function parseSchedulerOptions(options: StreamSchedulerOptions): SchedulerSettings {
  return parseOptions(schema, options, 'createStreamScheduler', InvalidSchedulerOptions);
}
