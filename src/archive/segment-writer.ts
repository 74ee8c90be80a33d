import { randomBytes } from 'node:crypto';
import type { StreamSpan } from '../core/index.ts';
import type { ArchiveBlobs } from './archive-blobs.ts';
import { ArchiveLayout, compactTime } from './layout.ts';
import { manifestOf, writeManifest } from './manifest.ts';
import { encodeSpans, segmentMetadata } from './segment.ts';
import { writeVerified } from './verified-write.ts';

/** When the archiver writes what it has gathered: whichever limit comes first. */
export interface FlushLimits {
  /** events per segment (default 5,000) */
  readonly maxEvents: number;
  /** how long a span waits for others to share its segment (default 200 ms) */
  readonly maxDelayMs: number;
}

export const defaultFlushLimits: FlushLimits = { maxEvents: 5_000, maxDelayMs: 200 };

interface Pending {
  spans: StreamSpan[];
  events: number;
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
  timer: NodeJS.Timeout | undefined;
}

/** What a writer has done so far. */
export interface SegmentWriterStats {
  segments: number;
  events: number;
  failedFlushes: number;
}

/**
 * Gathers spans per category and writes them as one segment plus its manifest (group commit): a span's promise
 * resolves only once both read back intact, so a handler that awaits it acknowledges nothing that is not archived.
 * A failed flush rejects every span in it; the scheduler retries them, and the checkpoint stays put meanwhile.
 */
export class SegmentWriter {
  private readonly pending = new Map<string, Pending>();
  private readonly writer = randomBytes(3).toString('hex');
  private sequence = 0;
  readonly stats: SegmentWriterStats = { segments: 0, events: 0, failedFlushes: 0 };

  constructor(
    private readonly blobs: ArchiveBlobs,
    private readonly limits: FlushLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  add(category: string, span: StreamSpan): Promise<void> {
    let pending = this.pending.get(category);
    if (pending === undefined) {
      pending = { spans: [], events: 0, waiters: [], timer: undefined };
      this.pending.set(category, pending);
    }
    const done = new Promise<void>((resolve, reject) => pending.waiters.push({ resolve, reject }));
    pending.spans.push(span);
    pending.events += span.events.length;
    if (pending.events >= this.limits.maxEvents) void this.flush(category);
    else pending.timer ??= setTimeout(() => void this.flush(category), this.limits.maxDelayMs);
    return done;
  }

  /** Writes whatever is gathered now (e.g. before stopping). */
  async flushAll(): Promise<void> {
    await Promise.allSettled([...this.pending.keys()].map((category) => this.flush(category)));
  }

  private async flush(category: string): Promise<void> {
    const pending = this.pending.get(category);
    if (pending === undefined) return;
    this.pending.delete(category);
    clearTimeout(pending.timer);
    try {
      const at = this.now();
      const stem = `${compactTime(at)}-${this.writer}-${String(this.sequence++).padStart(8, '0')}`;
      const name = ArchiveLayout.segment(category, at, stem);
      const encoded = encodeSpans(pending.spans);
      await writeVerified(this.blobs, name, encoded, segmentMetadata(encoded));
      await writeManifest(this.blobs, manifestOf(name, category, encoded, at));
      this.stats.segments++;
      this.stats.events += encoded.events;
      for (const waiter of pending.waiters) waiter.resolve();
    } catch (error) {
      this.stats.failedFlushes++;
      for (const waiter of pending.waiters) waiter.reject(error);
    }
  }
}
