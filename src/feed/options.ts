import { hostname } from 'node:os';
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import type { LeaseLost } from './errors.ts';
import type { FeedSink } from './sink.ts';

const positiveMs = z.number().int().positive();

const leaseTimingsSchema = z
  .strictObject({
    /** how often an instance lists the leases, creates missing ones, takes free ones and balances; default 15 s */
    acquireIntervalMs: positiveMs.default(15_000),
    /**
     * how often an owner refreshes its leases (a checkpoint written since the last renewal counts as one); default
     * 15 s
     */
    renewIntervalMs: positiveMs.default(15_000),
    /**
     * a lease not renewed for this long is free for any instance to take over; default 45 s (three renewals). A
     * crashed instance's ranges are read again after at most `expiryMs + acquireIntervalMs` (60 s by default)
     */
    expiryMs: positiveMs.default(45_000),
  })
  .refine((timings) => timings.renewIntervalMs < timings.expiryMs, {
    message: 'renewIntervalMs must be shorter than expiryMs, or owners lose their leases between renewals',
  });

export const processorOptionsSchema = z.strictObject({
  /** the processor's name: instances with the same name share the work (like a consumer group) */
  name: z.string().regex(/^[^/\\?#]+$/, 'must be non-empty and hold no "/", "\\", "?" or "#"'),
  monitored: z.custom<Container>((value) => typeof value === 'object' && value !== null, 'must be a Container'),
  leases: z.custom<Container>((value) => typeof value === 'object' && value !== null, 'must be a Container'),
  sink: z.custom<FeedSink>(
    (value) => typeof value === 'object' && value !== null && 'ingest' in value && 'revoke' in value,
    'must implement FeedSink',
  ),
  /**
   * names this instance in lease documents; default host-pid. The processor adds a suffix unique to each start
   * (stats show the full identity), so two processes given the same name never both believe they own a lease
   */
  instanceId: z
    .string()
    .min(1)
    .default(() => `${hostname()}-${process.pid}`),
  /** where a lease without a checkpoint starts; default 'beginning' */
  startFrom: z.union([z.literal('beginning'), z.literal('now'), z.date()]).default('beginning'),
  leaseTimings: leaseTimingsSchema.prefault({}),
  /**
   * the pause after the first read that found nothing new, in ms; default 500. While pages come back with documents
   * the next read follows at once; each further empty read doubles the pause, up to `maxPollIntervalMs`
   */
  pollIntervalMs: positiveMs.default(500),
  /**
   * the longest pause between reads of an idle range, in ms (never less than `pollIntervalMs`); default 16 ×
   * `pollIntervalMs` (8,000 with the default poll): the longest a change written after a quiet spell waits to be read
   */
  maxPollIntervalMs: positiveMs.optional(),
  /** the page size asked of the change feed; default 100 */
  maxItemsPerPage: positiveMs.default(100),
  /** how often changed checkpoints are written (they are always written on a graceful stop); default 5 s */
  checkpointIntervalMs: positiveMs.default(5_000),
  /** how long `stop()` waits for pages in flight to be handled before it writes checkpoints; default 30 s */
  drainTimeoutMs: positiveMs.default(30_000),
  /** errors that the processor survives (reads retried, writes retried next cycle); default: console.warn */
  onError: z
    .custom<(error: unknown, context: string) => void>((value) => typeof value === 'function')
    .default(() => (error: unknown, context: string) => console.warn(`[tributary processor] ${context}:`, error)),
  /** called when this instance finds that a lease it was reading is owned by another instance now */
  onLeaseLost: z.custom<(lost: LeaseLost) => void>((value) => typeof value === 'function').optional(),
});

export type ProcessorOptions = z.input<typeof processorOptionsSchema>;
export type ProcessorSettings = z.output<typeof processorOptionsSchema>;
export type LeaseTimings = z.output<typeof leaseTimingsSchema>;
