import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StreamSpan } from '../../../src/core/index.ts';
import { createScheduler } from '../../../src/streams/scheduler.ts';
import { readDocument, recorder, span } from './support.ts';

/**
 * A stream history of `length` events, delivered the way the change feed does: as spans that overlap (the tip
 * re-delivers), arrive out of order (a calved batch after the tip) and are split over pages.
 */
const streamDelivery = fc.integer({ min: 1, max: 30 }).chain((length) =>
  fc
    .array(
      fc
        .integer({ min: 0, max: length - 1 })
        .chain((from) => fc.integer({ min: 1, max: length - from }).map((count) => [from, count] as const)),
      { maxLength: 8 },
    )
    .map((chunks) => ({ length, chunks })),
);

const deliveries = fc.tuple(
  fc.array(streamDelivery, { minLength: 1, maxLength: 6 }),
  fc.integer({ min: 1, max: 4 }),
  fc.integer({ min: 1, max: 3 }),
);

describe('delivery through the scheduler (property)', () => {
  it('hands every stream each version exactly once, in order, however the feed splits and repeats them', async () => {
    await fc.assert(
      fc.asyncProperty(deliveries, fc.nat(), async ([histories, pageSize, concurrency], seed) => {
        const spans: StreamSpan[] = [];
        histories.forEach(({ length, chunks }, s) => {
          const stream = `Account-${s}`;
          // the whole history arrives too (the last tip/batches), so every gap fills eventually
          for (const [from, count] of chunks) spans.push(span(stream, from, count));
          spans.push(span(stream, 0, length));
        });
        const shuffled = spans
          .map((s, i) => ({ s, key: (i * 7919 + seed) % 104729 }))
          .sort((a, b) => a.key - b.key)
          .map(({ s }) => s);
        // the first page holds each stream's version 0 (and maybe more), so each stream's base is 0
        const firsts = histories.map((h, s) => span(`Account-${s}`, 0, 1 + ((seed + s) % h.length)));
        const { handle, versionsOf } = recorder();
        const scheduler = createScheduler({ handle, maxConcurrentStreams: concurrency }, readDocument);
        const handled: Promise<void>[] = [];
        handled.push((await scheduler.ingestSpans('0', firsts)).handled);
        for (let i = 0; i < shuffled.length; i += pageSize) {
          handled.push((await scheduler.ingestSpans('0', shuffled.slice(i, i + pageSize))).handled);
        }
        await Promise.all(handled);
        await scheduler.awaitCompletion();
        histories.forEach(({ length }, s) => {
          expect(versionsOf(`Account-${s}`)).toEqual(Array.from({ length }, (_, v) => v));
        });
        expect(scheduler.stats().buffered).toEqual({ events: 0, pages: 0 });
      }),
      { numRuns: 150 },
    );
  });
});
