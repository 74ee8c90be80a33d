import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { StreamSpan } from '../../../src/core/index.ts';
import { createInMemoryDeadLetters } from '../../../src/streams/dead-letter-store.ts';
import { createScheduler } from '../../../src/streams/scheduler.ts';
import {
  createEventSummaryReactor,
  defineSummaryContract,
  type EventDecoder,
  encodeSummary,
  SummaryTooLarge,
} from '../../../src/summaries/index.ts';
import { waitUntilFailed } from '../../../src/testing/index.ts';
import { readDocument } from '../streams/support.ts';

const contract = defineSummaryContract({
  name: 'Note',
  version: 1,
  schema: z.object({ text: z.string() }),
  topic: 'notes',
});

const codec: EventDecoder<{ text: string }> = { decode: (event) => event.data as { text: string } };

/** A reactor whose publisher enforces a 200-byte limit, as the real ones enforce 1 MB. */
function noteReactor() {
  let attempts = 0;
  const reactor = createEventSummaryReactor({
    contract,
    category: 'Note',
    codec,
    publisher: {
      publish: async (record) => {
        attempts += 1;
        encodeSummary(record, 200);
      },
      close: async () => {},
    },
    summarize: (note) => ({ text: note.text }),
  });
  return { reactor, attempts: () => attempts };
}

const hugeNote: StreamSpan = {
  stream: 'Note-1',
  index: 0n,
  events: [{ index: 0n, type: 'Written', data: { text: 'x'.repeat(500) }, meta: undefined, timestamp: new Date(0) }],
};

describe('a summary over the size limit', () => {
  it('parks its stream at the first failure when parking is on, since a retry can never succeed', async () => {
    const { reactor, attempts } = noteReactor();
    const deadLetters = createInMemoryDeadLetters();
    const scheduler = createScheduler(
      {
        name: 'notes',
        handle: reactor.handle,
        retry: { initialDelayMs: 1, maxDelayMs: 1 },
        parking: { deadLetters, afterAttempts: 5 },
      },
      readDocument,
    );
    const { handled } = await scheduler.ingestSpans('0', [hugeNote]);
    await handled;
    const [letter] = await scheduler.parked.list();
    expect(letter).toMatchObject({ stream: 'Note-1', attempts: 1, error: { name: 'SummaryTooLarge' } });
    expect(attempts()).toBe(1);
    scheduler.close();
  });

  it('holds the checkpoint with SummaryTooLarge as the reported error when parking is off', async () => {
    const { reactor } = noteReactor();
    const scheduler = createScheduler(
      { name: 'notes', handle: reactor.handle, retry: { initialDelayMs: 1, maxDelayMs: 1 } },
      readDocument,
    );
    let settled = false;
    const { handled } = await scheduler.ingestSpans('0', [hugeNote]);
    handled.then(
      () => (settled = true),
      () => (settled = true),
    );
    expect(await waitUntilFailed(scheduler, 'Note-1', 3)).toBeInstanceOf(SummaryTooLarge);
    expect(settled).toBe(false);
    expect(scheduler.stats().failing).toEqual([
      expect.objectContaining({ stream: 'Note-1', error: expect.objectContaining({ name: 'SummaryTooLarge' }) }),
    ]);
    scheduler.close();
  });
});
