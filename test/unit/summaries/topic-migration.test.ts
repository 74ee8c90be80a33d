import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { StreamSpan, TimelineEvent } from '../../../src/core/index.ts';
import {
  checkContract,
  contractJsonSchema,
  createEventSummaryReactor,
  createInMemoryLastSeenVersions,
  createSummaryReceiver,
  defineSummaryContract,
  type EncodedSummary,
  encodeSummary,
  type SummaryPublisher,
} from '../../../src/summaries/index.ts';

// v1 carries amounts as integers of cents; v2 as decimal strings with a currency: a breaking change, so a new topic
const v1 = defineSummaryContract({
  name: 'booking',
  version: 1,
  topic: 'bookings',
  schema: z.object({ id: z.string(), cents: z.number().int() }),
});
const v2 = defineSummaryContract({
  name: 'booking',
  version: 2,
  topic: 'bookings.v2',
  schema: z.object({ id: z.string(), amount: z.string(), currency: z.string() }),
});

function deposit(index: number, cents: number): TimelineEvent {
  return { index: BigInt(index), type: 'Deposited', data: { cents }, meta: undefined, timestamp: new Date(index) };
}

/** A broker of topics in memory: what each topic holds, in publish order. */
function broker() {
  const topics = new Map<string, EncodedSummary[]>();
  const publisher: SummaryPublisher = {
    publish: async (record) => {
      const message = encodeSummary(record);
      topics.set(message.topic, [...(topics.get(message.topic) ?? []), message]);
    },
    close: async () => {},
  };
  return { publisher, topic: (name: string) => topics.get(name) ?? [] };
}

const cents = (event: TimelineEvent) => (event.data as { cents: number }).cents;

describe('moving a contract to a new topic', () => {
  it('is what the check asks of a breaking change, and a new topic starts fresh', () => {
    const moved = { ...v2, topic: v1.topic };
    const published = [{ version: 1, document: contractJsonSchema(v1), location: 'bookings/v1.schema.json' }];
    expect(checkContract(defineSummaryContract(moved), published).verdict.kind).toBe('breaking');
    expect(checkContract(v2, []).verdict.kind).toBe('new-topic');
  });

  it('publishes every summary to both topics during the window, each reactor with its own processor', async () => {
    const { publisher, topic } = broker();
    const old = createEventSummaryReactor({
      contract: v1,
      category: 'Account',
      publisher,
      summarize: (event) => ({ id: `t${event.index}`, cents: cents(event) }),
    });
    const next = createEventSummaryReactor({
      contract: v2,
      category: 'Account',
      publisher,
      summarize: (event) => ({ id: `t${event.index}`, amount: (cents(event) / 100).toFixed(2), currency: 'EUR' }),
    });
    expect(old.processorName).not.toBe(next.processorName);
    const span: StreamSpan = { stream: 'Account-1', index: 0n, events: [deposit(0, 150), deposit(1, 275)] };
    await old.handle(span);
    await next.handle(span);
    expect(topic('bookings').map((m) => [m.headers.ce_type, m.headers['tributary-stream-version']])).toEqual([
      ['booking.v1', '1'],
      ['booking.v1', '2'],
    ]);
    expect(
      topic('bookings.v2').map((m) => [m.headers.ce_type, m.headers['tributary-stream-version'], m.value]),
    ).toEqual([
      ['booking.v2', '1', '{"id":"t0","amount":"1.50","currency":"EUR"}'],
      ['booking.v2', '2', '{"id":"t1","amount":"2.75","currency":"EUR"}'],
    ]);
  });

  it('lets a consumer switch topics at any point, keeping its last seen versions: each event is handled once', async () => {
    const { publisher, topic } = broker();
    const span: StreamSpan = { stream: 'Account-1', index: 0n, events: [0, 1, 2, 3, 4].map((i) => deposit(i, i)) };
    await createEventSummaryReactor({
      contract: v1,
      category: 'Account',
      publisher,
      summarize: (event) => ({ id: `t${event.index}`, cents: cents(event) }),
    }).handle(span);
    await createEventSummaryReactor({
      contract: v2,
      category: 'Account',
      publisher,
      summarize: (event) => ({ id: `t${event.index}`, amount: String(cents(event)), currency: 'EUR' }),
    }).handle(span);
    const lastSeen = createInMemoryLastSeenVersions();
    const handled: string[] = [];
    const refuse = () => {
      throw new Error('unexpected unreadable summary');
    };
    const readOld = createSummaryReceiver({
      contract: v1,
      lastSeen,
      onUnreadable: refuse,
      handle: async (s) => void handled.push(`v1@${s.envelope.version}`),
    });
    const readNew = createSummaryReceiver({
      contract: v2,
      lastSeen,
      onUnreadable: refuse,
      handle: async (s) => void handled.push(`v2@${s.envelope.version}`),
    });
    const source = { topic: 'bookings', partition: '0', position: '0' };
    // the consumer read three lines from the old topic, then moved to the new one and read it from its beginning
    for (const message of topic('bookings').slice(0, 3)) {
      await readOld.receive({ headers: message.headers, value: message.value, source });
    }
    for (const message of topic('bookings.v2')) {
      await readNew.receive({ headers: message.headers, value: message.value, source });
    }
    expect(handled).toEqual(['v1@1', 'v1@2', 'v1@3', 'v2@4', 'v2@5']);
    expect(readNew.stats()).toEqual({ handled: 2, stale: 3, unreadable: 0, notYet: 0 });
  });
});
