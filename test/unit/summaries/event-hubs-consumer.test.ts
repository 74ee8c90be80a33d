import type { EventHubConsumerClient, ReceivedEventData, SubscriptionEventHandlers } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createEventHubsSummaryConsumer,
  defineSummaryContract,
  envelopeHeaders,
  idempotencyKey,
  type ReceivedSummary,
  type UnreadableMessage,
} from '../../../src/summaries/index.ts';

const contract = defineSummaryContract({
  name: 'AccountSummary',
  version: 1,
  schema: z.object({ balance: z.number() }),
  topic: 'accounts',
});

/** What Event Hubs hands an AMQP consumer for a record a Kafka producer sent: headers and body as bytes. */
function fromKafka(stream: string, version: number, balance: number, sequenceNumber: number): ReceivedEventData {
  const headers = envelopeHeaders({
    stream,
    version: BigInt(version),
    contract: 'AccountSummary',
    contractVersion: 1,
    idempotencyKey: idempotencyKey(stream, BigInt(version), 'AccountSummary', 1),
  });
  return {
    body: Buffer.from(JSON.stringify({ balance })),
    properties: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
    sequenceNumber,
    offset: String(sequenceNumber),
    enqueuedTimeUtc: new Date(0),
    partitionKey: stream,
    getRawAmqpMessage: () => ({ body: undefined, bodyType: 'data' }),
  } as unknown as ReceivedEventData;
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function fakeClient() {
  let handlers: SubscriptionEventHandlers | undefined;
  const checkpoints: number[] = [];
  const client = {
    subscribe: (h: SubscriptionEventHandlers) => {
      handlers = h;
      return { close: async () => {}, isRunning: true };
    },
  } as unknown as EventHubConsumerClient;
  const deliver = async (partitionId: string, events: ReceivedEventData[]) =>
    handlers?.processEvents(events, {
      partitionId,
      consumerGroup: '$Default',
      eventHubName: 'accounts',
      fullyQualifiedNamespace: 'contoso.servicebus.windows.net',
      updateCheckpoint: async (event: ReceivedEventData) => void checkpoints.push(event.sequenceNumber),
      lastEnqueuedEventProperties: {},
    } as never);
  return { client, deliver, checkpoints };
}

describe('the Event Hubs summary consumer', () => {
  it('reads summaries published through Kafka, skips stale versions per stream and checkpoints each batch', async () => {
    const { client, deliver, checkpoints } = fakeClient();
    const handled: ReceivedSummary<{ balance: number }>[] = [];
    const consumer = createEventHubsSummaryConsumer({
      client,
      contract,
      handle: async (s) => void handled.push(s),
      onUnreadable: (message) => {
        throw new Error(message.problem);
      },
    });
    consumer.start();
    await deliver('0', [
      fromKafka('Account-1', 1, 10, 100),
      fromKafka('Account-1', 3, 30, 101),
      fromKafka('Account-1', 2, 20, 102),
    ]);
    await deliver('1', [fromKafka('Account-2', 1, 5, 7)]);
    await until(() => checkpoints.length === 2);
    const line = (s: ReceivedSummary<{ balance: number }>) =>
      `${s.envelope.stream}@${s.envelope.version}=${s.body.balance}`;
    expect(handled.filter((s) => s.envelope.stream === 'Account-1').map(line)).toEqual([
      'Account-1@1=10',
      'Account-1@3=30',
    ]);
    expect(handled.filter((s) => s.envelope.stream === 'Account-2').map(line)).toEqual(['Account-2@1=5']);
    expect(handled.find((s) => s.envelope.version === 3n)?.source).toEqual({
      topic: 'accounts',
      partition: '0',
      position: '101',
    });
    expect(consumer.stats().summaries).toMatchObject({ handled: 3, stale: 1 });
    expect(checkpoints.sort((a, b) => a - b)).toEqual([7, 102]);
    await consumer.stop();
  });

  it('gives an event it cannot read to onUnreadable with where it came from, and checkpoints past it', async () => {
    const { client, deliver, checkpoints } = fakeClient();
    const unreadable: UnreadableMessage[] = [];
    const handled: number[] = [];
    const consumer = createEventHubsSummaryConsumer({
      client,
      contract,
      handle: async (s) => void handled.push(s.body.balance),
      onUnreadable: (message) => void unreadable.push(message),
    });
    consumer.start();
    const invalid = { ...fromKafka('Account-1', 1, 0, 200), body: Buffer.from('{"balance":"lots"}') };
    const foreign = { ...fromKafka('Account-1', 2, 0, 201), properties: {} };
    await deliver('0', [invalid, foreign, fromKafka('Account-1', 3, 30, 202)] as ReceivedEventData[]);
    await until(() => checkpoints.length === 1);
    expect(unreadable.map((m) => [m.reason, m.source.position])).toEqual([
      ['invalid-shape', '200'],
      ['not-a-summary', '201'],
    ]);
    expect(handled).toEqual([30]);
    expect(checkpoints).toEqual([202]);
    expect(consumer.stats().summaries).toEqual({ handled: 1, stale: 0, unreadable: 2, notYet: 0 });
    await consumer.stop();
  });
});
