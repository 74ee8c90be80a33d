import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { StreamSpan, TimelineEvent } from '../../../src/core/index.ts';
import {
  createEventSummaryReactor,
  defineSummaryContract,
  type EventDecoder,
  encodeSummary,
  type SummaryPublisher,
  type SummaryRecord,
  SummaryRejected,
  SummaryTooLarge,
} from '../../../src/summaries/index.ts';

const contract = defineSummaryContract({
  name: 'Booking',
  version: 3,
  schema: z.object({ transactionId: z.string(), amount: z.number().int().positive() }),
  topic: 'bookings',
});

type Booking = { type: 'Deposited'; transactionId: string; amount: number } | { type: 'Opened' };

const codec: EventDecoder<Booking> = {
  decode: (event) =>
    event.type === 'Deposited'
      ? { type: 'Deposited', ...(event.data as { transactionId: string; amount: number }) }
      : event.type === 'Opened'
        ? { type: 'Opened' }
        : undefined,
};

function event(index: number, type: string, data: unknown = {}, correlationId?: string): TimelineEvent {
  return { index: BigInt(index), type, data, meta: undefined, timestamp: new Date(index * 1000), correlationId };
}

const deposit = (index: number, transactionId: string, amount = 10, correlationId?: string) =>
  event(index, 'Deposited', { transactionId, amount }, correlationId);

/** A publisher that records what it was given, encoding it as the real ones do (size limit included). */
function recordingPublisher(limit?: number) {
  const published: SummaryRecord[] = [];
  const publisher: SummaryPublisher = {
    publish: async (record) => {
      encodeSummary(record, limit);
      published.push(record);
    },
    close: async () => {},
  };
  return { publisher, published };
}

function bookingReactor(publisher: SummaryPublisher) {
  return createEventSummaryReactor({
    contract,
    category: 'Account',
    codec,
    publisher,
    summarize: (booking) =>
      booking.type === 'Deposited' ? { transactionId: booking.transactionId, amount: booking.amount } : undefined,
  });
}

const keysOf = (records: readonly SummaryRecord[]) => records.map((record) => record.envelope.idempotencyKey);

describe('the per-event summary reactor', () => {
  it('publishes one summary per booking event of a span, in version order, each at its event version with its own key', async () => {
    const { publisher, published } = recordingPublisher();
    const reactor = bookingReactor(publisher);
    const span: StreamSpan = {
      stream: 'Account-7',
      index: 4n,
      events: [deposit(4, 'salary', 70, 'c-1'), deposit(5, 'bonus', 5, 'c-2')],
    };
    expect(await reactor.handle(span)).toEqual({ kind: 'handled', nextIndex: 6n });
    expect(published).toEqual([
      {
        topic: 'bookings',
        body: { transactionId: 'salary', amount: 70 },
        envelope: {
          stream: 'Account-7',
          version: 5n,
          contract: 'Booking',
          contractVersion: 3,
          idempotencyKey: 'Account-7:5:Booking@3',
          correlationId: 'c-1',
          time: new Date(4000),
          source: 'urn:tributary:bookings',
          dataschema: 'urn:tributary:bookings:v3',
        },
      },
      {
        topic: 'bookings',
        body: { transactionId: 'bonus', amount: 5 },
        envelope: {
          stream: 'Account-7',
          version: 6n,
          contract: 'Booking',
          contractVersion: 3,
          idempotencyKey: 'Account-7:6:Booking@3',
          correlationId: 'c-2',
          time: new Date(5000),
          source: 'urn:tributary:bookings',
          dataschema: 'urn:tributary:bookings:v3',
        },
      },
    ]);
  });

  it('re-sends the same idempotency keys when a span is delivered again', async () => {
    const { publisher, published } = recordingPublisher();
    const reactor = bookingReactor(publisher);
    const span: StreamSpan = { stream: 'Account-7', index: 0n, events: [deposit(0, 'a'), deposit(1, 'b')] };
    await reactor.handle(span);
    const first = keysOf(published);
    await reactor.handle(span);
    expect(keysOf(published)).toEqual([...first, ...first]);
    expect(first).toEqual(['Account-7:1:Booking@3', 'Account-7:2:Booking@3']);
  });

  it('skips events that summarize or the codec leave out, and ignores streams of other categories', async () => {
    const { publisher, published } = recordingPublisher();
    const reactor = bookingReactor(publisher);
    const span: StreamSpan = {
      stream: 'Account-7',
      index: 0n,
      events: [event(0, 'Opened'), event(1, 'Unknown'), deposit(2, 'a')],
    };
    expect(await reactor.handle(span)).toEqual({ kind: 'handled', nextIndex: 3n });
    expect(await reactor.handle({ stream: 'Order-7', index: 0n, events: [deposit(0, 'x')] })).toBeUndefined();
    expect(keysOf(published)).toEqual(['Account-7:3:Booking@3']);
  });

  it('hands stored events to summarize when no codec is given', async () => {
    const { publisher, published } = recordingPublisher();
    const reactor = createEventSummaryReactor({
      contract,
      category: 'Account',
      publisher,
      summarize: (stored, { version }) =>
        stored.type === 'Deposited'
          ? { transactionId: `${stored.timestamp.getTime()}-${version}`, amount: 1 }
          : undefined,
    });
    await reactor.handle({ stream: 'Account-1', index: 0n, events: [deposit(0, 'a'), event(1, 'Opened')] });
    expect(published.map((record) => record.body)).toEqual([{ transactionId: '0-1', amount: 1 }]);
  });

  it('refuses a whole span when one of its summaries does not match the contract, publishing none of it', async () => {
    const { publisher, published } = recordingPublisher();
    const reactor = bookingReactor(publisher);
    const span: StreamSpan = { stream: 'Account-7', index: 0n, events: [deposit(0, 'a'), deposit(1, 'b', -5)] };
    const handling = reactor.handle(span);
    await expect(handling).rejects.toBeInstanceOf(SummaryRejected);
    await expect(handling).rejects.toThrow(/Booking for stream Account-7 .*amount/);
    expect(published).toEqual([]);
  });

  it('fails with SummaryTooLarge for a summary over the size limit, after publishing the ones before it', async () => {
    const { publisher, published } = recordingPublisher(1000);
    const reactor = bookingReactor(publisher);
    const span: StreamSpan = {
      stream: 'Account-7',
      index: 0n,
      events: [deposit(0, 'a'), deposit(1, 'b'.repeat(1000)), deposit(2, 'c')],
    };
    await expect(reactor.handle(span)).rejects.toBeInstanceOf(SummaryTooLarge);
    expect(keysOf(published)).toEqual(['Account-7:1:Booking@3']);
  });

  it('sends each summary only after the previous one is acknowledged, and resolves after the last', async () => {
    const acknowledgements: (() => void)[] = [];
    const sent: bigint[] = [];
    const publisher: SummaryPublisher = {
      publish: (record) =>
        new Promise<void>((resolve) => {
          sent.push(record.envelope.version);
          acknowledgements.push(resolve);
        }),
      close: async () => {},
    };
    const reactor = bookingReactor(publisher);
    let done = false;
    const handling = reactor
      .handle({ stream: 'Account-7', index: 0n, events: [deposit(0, 'a'), deposit(1, 'b')] })
      .then(() => (done = true));
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    await settle();
    expect(sent).toEqual([1n]);
    acknowledgements[0]?.();
    await settle();
    expect(sent).toEqual([1n, 2n]);
    expect(done).toBe(false);
    acknowledgements[1]?.();
    await handling;
    expect(done).toBe(true);
  });

  it('names its processor after the contract unless told otherwise', () => {
    const { publisher } = recordingPublisher();
    expect(bookingReactor(publisher)).toMatchObject({ name: 'Booking@3', processorName: 'summary-Booking-v3' });
    const renamed = createEventSummaryReactor({
      contract,
      category: 'Account',
      publisher,
      processorName: 'reactor-bookings',
      summarize: () => undefined,
    });
    expect(renamed.processorName).toBe('reactor-bookings');
  });
});
