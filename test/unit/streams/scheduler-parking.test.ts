import { describe, expect, it } from 'vitest';
import { createInMemoryDeadLetters, DeadLetter } from '../../../src/streams/dead-letter-store.ts';
import { ReplayFailed, StreamNotParked } from '../../../src/streams/errors.ts';
import { eventDocuments } from '../../../src/streams/event-documents.ts';
import type { StreamHandler } from '../../../src/streams/handler.ts';
import { createScheduler } from '../../../src/streams/scheduler.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { doc, gate, readDocument, readSpan, recorder, span } from './support.ts';

const quickRetry = { initialDelayMs: 1, maxDelayMs: 2 };

/** A handler that throws for the streams in `broken` (a set the test may change), and records what it handled. */
function breakable(broken: Set<string>) {
  const handled = new Map<string, number[]>();
  const handle: StreamHandler = async (given) => {
    if (broken.has(given.stream)) throw new RangeError(`cannot handle ${given.stream}`);
    handled.set(given.stream, [...(handled.get(given.stream) ?? []), ...given.events.map((e) => Number(e.index))]);
    return undefined;
  };
  return { handle, handledOf: (stream: string) => handled.get(stream) ?? [] };
}

function setup(broken: Set<string>, afterAttempts = 2) {
  const deadLetters = createInMemoryDeadLetters();
  const { handle, handledOf } = breakable(broken);
  const scheduler = createScheduler(
    { name: 'audit', handle, retry: quickRetry, parking: { deadLetters, afterAttempts } },
    readDocument,
  );
  return { scheduler, deadLetters, handledOf };
}

describe('parking a stream that keeps failing', () => {
  it('writes its events and the error to a dead letter after N attempts, and lets the page complete', async () => {
    const { scheduler, deadLetters } = setup(new Set(['Account-1']), 3);
    scheduler.open('0', { fromBeginning: false, handled: {} });
    const { handled } = await scheduler.ingestSpans('0', [span('Account-1', 4, 2)]);
    await handled;
    const [letter] = await scheduler.parked.list();
    expect(letter).toEqual({
      id: DeadLetter.id('audit', 'Account-1'),
      stream: 'Account-1',
      processor: 'audit',
      error: { name: 'RangeError', message: 'cannot handle Account-1' },
      reason: 'failed',
      events: [
        { index: 4, type: 'Happened', data: { n: 4 }, meta: null, timestamp: '2026-01-01T00:00:00.000Z' },
        { index: 5, type: 'Happened', data: { n: 5 }, meta: null, timestamp: '2026-01-01T00:00:00.000Z' },
      ],
      malformed: [],
      attempts: 3,
      parkedAt: expect.any(String),
    });
    expect(deadLetters.letters.size).toBe(1);
    expect(scheduler.stats()).toMatchObject({ streams: { parked: 1, failing: 0 }, parked: ['Account-1'] });
  });

  it('appends events that arrive while the stream is parked to its dead letter, so that their order is kept', async () => {
    const { scheduler, handledOf } = setup(new Set(['Account-1']));
    await (await scheduler.ingestSpans('0', [span('Account-1', 0, 2)])).handled;
    const later = await scheduler.ingestSpans('0', [span('Account-1', 1, 3), span('Account-2', 0, 1)]);
    await later.handled;
    expect(handledOf('Account-1')).toEqual([]);
    expect(handledOf('Account-2')).toEqual([0]);
    const [letter] = await scheduler.parked.list();
    expect(letter?.events.map((e) => e.index)).toEqual([0, 1, 2, 3]);
    expect(await waitUntilHandled(scheduler, 'Account-1', 4n)).toBe('parked');
  });

  it('parks a malformed document at once, keeping the document for a replay', async () => {
    const { scheduler } = setup(new Set());
    const broken = { id: '0', p: 'Account-1', i: 0, e: 'oops' };
    const { handled } = await scheduler.ingest({ leaseToken: '0', continuation: 'c', documents: [broken] });
    await handled;
    const [letter] = await scheduler.parked.list();
    expect(letter).toMatchObject({
      reason: 'malformed',
      events: [],
      malformed: [{ document: broken, error: { message: 'document 0 is malformed' } }],
    });
  });

  it('keeps every malformed document that arrives while the stream is busy, and parks them all together', async () => {
    const deadLetters = createInMemoryDeadLetters();
    const running = gate();
    const { handle, versionsOf } = recorder(() => running.promise.then(() => undefined));
    const scheduler = createScheduler({ handle, parking: { deadLetters } }, readDocument);
    const first = await scheduler.ingestSpans('0', [span('Account-1', 0, 1)]);
    const broken = [
      { id: '1', p: 'Account-1', i: 1, e: 'oops' },
      { id: '2', p: 'Account-1', i: 2, e: 'again' },
    ];
    const second = await scheduler.ingest({ leaseToken: '0', continuation: 'c', documents: broken });
    running.open();
    await Promise.all([first.handled, second.handled]);
    expect(versionsOf('Account-1')).toEqual([0]);
    const [letter] = await scheduler.parked.list();
    expect(letter?.reason).toBe('malformed');
    expect(letter?.malformed.map((m) => m.document)).toEqual(broken);
  });

  it('parks a stream that keeps answering notYet, with the reason', async () => {
    const deadLetters = createInMemoryDeadLetters();
    const scheduler = createScheduler(
      {
        handle: async () => ({ kind: 'notYet', reason: 'no customer' }),
        notYet: { delayMs: 0, maxAttempts: 2 },
        parking: { deadLetters },
      },
      readDocument,
    );
    await (await scheduler.ingestSpans('0', [span('Order-1', 0, 1)])).handled;
    const [letter] = await scheduler.parked.list();
    expect(letter).toMatchObject({ reason: 'notYet', error: { name: 'HandlerKeptWaiting' } });
    expect(letter?.error.message).toContain('no customer');
  });
});

describe('replaying a parked stream', () => {
  it('hands the parked events to the handler in order, removes the dead letter, and resumes normal flow', async () => {
    const broken = new Set(['Account-1']);
    const { scheduler, deadLetters, handledOf } = setup(broken);
    await (await scheduler.ingestSpans('0', [span('Account-1', 0, 2)])).handled;
    await (await scheduler.ingestSpans('0', [span('Account-1', 2, 1)])).handled;
    broken.clear();
    await scheduler.parked.replay('Account-1');
    expect(handledOf('Account-1')).toEqual([0, 1, 2]);
    expect(deadLetters.letters.size).toBe(0);
    await (await scheduler.ingestSpans('0', [span('Account-1', 1, 3)])).handled;
    expect(handledOf('Account-1')).toEqual([0, 1, 2, 3]);
    expect(scheduler.stats().streams.parked).toBe(0);
  });

  it('keeps events that arrive during the replay behind the replayed ones', async () => {
    const broken = new Set(['Account-1']);
    const { scheduler, handledOf } = setup(broken);
    await (await scheduler.ingestSpans('0', [span('Account-1', 0, 2)])).handled;
    broken.clear();
    const replay = scheduler.parked.replay('Account-1');
    const during = await scheduler.ingestSpans('0', [span('Account-1', 2, 2)]);
    await Promise.all([replay, during.handled]);
    expect(handledOf('Account-1')).toEqual([0, 1, 2, 3]);
  });

  it('parks the stream again and rejects when the replay fails again', async () => {
    const { scheduler, deadLetters } = setup(new Set(['Account-1']));
    await (await scheduler.ingestSpans('0', [span('Account-1', 0, 1)])).handled;
    await expect(scheduler.parked.replay('Account-1')).rejects.toBeInstanceOf(ReplayFailed);
    expect([...deadLetters.letters.values()].map((l) => l.events.length)).toEqual([1]);
    expect(scheduler.stats().parked).toEqual(['Account-1']);
  });

  it('reads a malformed document again on replay, so that a fixed reader can handle it', async () => {
    const deadLetters = createInMemoryDeadLetters();
    const { handle, versionsOf } = recorder();
    let fixed = false;
    const reader = eventDocuments((document) => (fixed ? span(String(document.p), 0, 2) : readSpan(document)));
    const scheduler = createScheduler({ handle, parking: { deadLetters } }, reader);
    await (
      await scheduler.ingest({
        leaseToken: '0',
        continuation: 'c',
        documents: [{ id: '0', p: 'Account-1', i: 0, e: 'x' }],
      })
    ).handled;
    fixed = true;
    await scheduler.parked.replay('Account-1');
    expect(versionsOf('Account-1')).toEqual([0, 1]);
  });

  it('refuses to replay a stream that is not parked', async () => {
    const { scheduler } = setup(new Set());
    await expect(scheduler.parked.replay('Account-9')).rejects.toBeInstanceOf(StreamNotParked);
  });

  it('remembers parked streams across restarts: later events join the dead letter until it is replayed', async () => {
    const broken = new Set(['Account-1']);
    const deadLetters = createInMemoryDeadLetters();
    const first = createScheduler(
      {
        name: 'audit',
        handle: breakable(broken).handle,
        retry: quickRetry,
        parking: { deadLetters, afterAttempts: 1 },
      },
      readDocument,
    );
    await (await first.ingest({ leaseToken: '0', continuation: 'c', documents: [doc('Account-1', 0, 1)] })).handled;
    first.close();

    const { handle, handledOf } = breakable(new Set());
    const second = createScheduler({ name: 'audit', handle, parking: { deadLetters } }, readDocument);
    await (await second.ingest({ leaseToken: '0', continuation: 'c', documents: [doc('Account-1', 1, 1)] })).handled;
    expect(handledOf('Account-1')).toEqual([]);
    await second.parked.replay('Account-1');
    expect(handledOf('Account-1')).toEqual([0, 1]);
  });

  it('lets a stream flow again when its dead letter was replayed elsewhere while another instance held its lease', async () => {
    const broken = new Set(['Account-1']);
    const { scheduler, deadLetters, handledOf } = setup(broken);
    await (await scheduler.ingestSpans('0', [span('Account-1', 0, 1)])).handled;
    scheduler.revoke('0');
    broken.clear();
    await deadLetters.remove('audit', 'Account-1');
    // taken back later from the other instance's checkpoint
    scheduler.open('0', { fromBeginning: false, handled: {} });
    await (await scheduler.ingestSpans('0', [span('Account-1', 5, 1)])).handled;
    expect(handledOf('Account-1')).toEqual([5]);
  });

  it('retries a dead-letter write that failed, holding the page until it succeeds', async () => {
    const store = createInMemoryDeadLetters();
    let failWrites = 1;
    const flaky = {
      ...store,
      async put(letter: DeadLetter) {
        if (failWrites-- > 0) throw new Error('429 too many requests');
        await store.put(letter);
      },
    };
    const scheduler = createScheduler(
      {
        handle: breakable(new Set(['Account-1'])).handle,
        retry: quickRetry,
        parking: { deadLetters: flaky, afterAttempts: 1 },
      },
      readDocument,
    );
    await (await scheduler.ingestSpans('0', [span('Account-1', 0, 1)])).handled;
    expect(store.letters.size).toBe(1);
    expect(scheduler.stats().parkingFailures).toBe(1);
  });
});

describe('parked streams after a restart', () => {
  it('reports the parked streams of a lease as soon as the lease is opened, before any page of it arrives', async () => {
    const before = setup(new Set(['Account-1']), 1);
    await (await before.scheduler.ingestSpans('0', [span('Account-1', 0, 1)])).handled;
    before.scheduler.close();
    const restarted = createScheduler(
      { name: 'audit', handle: async () => undefined, parking: { deadLetters: before.deadLetters } },
      readDocument,
    );
    expect(restarted.stats().parked).toEqual([]);
    restarted.open('0', { fromBeginning: false, handled: { 'Account-1': 0 } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(restarted.stats()).toMatchObject({ streams: { parked: 1 }, parked: ['Account-1'] });
    restarted.close();
  });
});
