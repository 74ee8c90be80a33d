import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { StreamSpan } from '../../../src/core/index.ts';
import { runHandler } from '../../../src/streams/index.ts';
import {
  createEventSummaryReactor,
  createKafkaSummaryPublisher,
  createSummaryConsumer,
  defineSummaryContract,
  type LastSeenVersions,
  type ReceivedSummary,
} from '../../../src/summaries/index.ts';
import { startTestCosmos, type TestCosmos } from '../../support/cosmos.ts';
import { skipKafka, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import {
  accountCodec,
  fastProcessor,
  fastScheduler,
  type PipelineEnvironment,
  pipelineEnvironment,
  waitUntil,
} from '../projections/fixtures.ts';
import { quickKafka } from './fixtures.ts';

type Booking = { amount: number };

function bookingContract(topic: string) {
  return defineSummaryContract({ name: 'Booking', version: 1, schema: z.object({ amount: z.number() }), topic });
}

let cosmos: TestCosmos;
let kafka: TestKafka;

beforeAll(async () => {
  if (skipKafka) return;
  [cosmos, kafka] = await Promise.all([startTestCosmos(), startTestKafka()]);
});
afterAll(async () => {
  await Promise.all([cosmos?.close(), kafka?.stop()]);
});

/** Keeps nothing: the test sees every delivery, re-sends included. */
const rememberNothing: LastSeenVersions = { get: async () => undefined, set: async () => {} };

/** Runs the per-event Booking reactor under `processorName`, recording the spans it handled. */
async function runBookings(env: PipelineEnvironment, topic: string, processorName: string) {
  const publisher = createKafkaSummaryPublisher({ config: quickKafka(kafka.brokers) });
  const reactor = createEventSummaryReactor({
    contract: bookingContract(topic),
    category: 'Account',
    codec: accountCodec,
    publisher,
    processorName,
    summarize: (event) => (event.type === 'Deposited' ? { amount: event.data.amount } : undefined),
  });
  const spans: StreamSpan[] = [];
  const running = await runHandler(
    {
      ...reactor,
      handle: async (span) => {
        spans.push(span);
        return reactor.handle(span);
      },
    },
    { events: env.events, leases: env.leases, processor: fastProcessor, scheduler: fastScheduler },
  );
  return {
    spans,
    async stop() {
      await running.stop();
      await publisher.close();
    },
  };
}

describe.skipIf(skipKafka)('per-event summaries to Kafka', () => {
  it('publish one summary per booking event of a span, in version order with distinct keys, and re-send the same keys when the span is delivered again', async () => {
    const env = await pipelineEnvironment(cosmos, 'event-summaries');
    const topic = `bookings-${randomUUID().slice(0, 8)}`;
    const received: ReceivedSummary<Booking>[] = [];
    const consumer = createSummaryConsumer({
      config: quickKafka(kafka.brokers),
      groupId: `downstream-${randomUUID().slice(0, 8)}`,
      contract: bookingContract(topic),
      lastSeen: rememberNothing,
      handle: async (summary) => {
        received.push(summary);
      },
      onUnreadable: (message) => {
        throw new Error(`unexpected unreadable summary: ${message.problem}`);
      },
    });
    await consumer.start();
    const first = await runBookings(env, topic, 'summary-Booking-v1');
    try {
      // one append, one document: the two deposits reach the reactor in one span
      await env.accounts.transact('ann', () => [
        { type: 'Opened', data: { owner: 'Ann' } },
        { type: 'Deposited', data: { amount: 70 } },
        { type: 'Deposited', data: { amount: 5 } },
      ]);
      await waitUntil('both bookings are downstream', () => received.length >= 2);
      expect(first.spans.map((span) => [span.stream, span.index, span.events.length])).toEqual([
        ['Account-ann', 0n, 3],
      ]);
      expect(received.map((summary) => [summary.envelope.version, summary.body])).toEqual([
        [2n, { amount: 70 }],
        [3n, { amount: 5 }],
      ]);
      const keys = received.map((summary) => summary.envelope.idempotencyKey);
      expect(keys).toEqual(['Account-ann:2:Booking@1', 'Account-ann:3:Booking@1']);
      expect(new Set(received.map((summary) => summary.source.partition)).size).toBe(1);
    } finally {
      await first.stop();
    }

    // a processor without checkpoints reads the same document again: the same span, the same summaries
    const again = await runBookings(env, topic, 'summary-Booking-v1-replay');
    try {
      await waitUntil('the re-sent bookings are downstream', () => received.length >= 4);
      expect(again.spans.map((span) => [span.stream, span.index, span.events.length])).toEqual([
        ['Account-ann', 0n, 3],
      ]);
      expect(received.map((summary) => summary.envelope.idempotencyKey)).toEqual([
        'Account-ann:2:Booking@1',
        'Account-ann:3:Booking@1',
        'Account-ann:2:Booking@1',
        'Account-ann:3:Booking@1',
      ]);
    } finally {
      await Promise.all([again.stop(), consumer.stop()]);
    }
  });
});
