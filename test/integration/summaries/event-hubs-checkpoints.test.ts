import type { EventHubConsumerClient, ReceivedEventData, SubscriptionEventHandlers } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInMemoryDeadLetters } from '../../../src/streams/index.ts';
import {
  createEventHubsSummaryConsumer,
  defineSummaryContract,
  envelopeHeaders,
  idempotencyKey,
} from '../../../src/summaries/index.ts';
import { startTestAzurite, type TestAzurite } from '../../../src/testing/azurite.ts';

const contract = defineSummaryContract({
  name: 'AccountSummary',
  version: 1,
  schema: z.object({ balance: z.number() }),
  topic: 'accounts',
});
const where = {
  fullyQualifiedNamespace: 'contoso.servicebus.windows.net',
  eventHubName: 'accounts',
  consumerGroup: '$Default',
};

function event(stream: string, version: number, sequenceNumber: number): ReceivedEventData {
  const headers = envelopeHeaders({
    stream,
    version: BigInt(version),
    contract: 'AccountSummary',
    contractVersion: 1,
    idempotencyKey: idempotencyKey(stream, BigInt(version), 'AccountSummary', 1),
  });
  return {
    body: Buffer.from(JSON.stringify({ balance: version })),
    properties: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
    sequenceNumber,
    offset: String(sequenceNumber * 100),
    enqueuedTimeUtc: new Date(0),
    partitionKey: stream,
    getRawAmqpMessage: () => ({ body: undefined, bodyType: 'data' }),
  } as unknown as ReceivedEventData;
}

/** The SDK's side as far as a checkpoint goes: partition contexts whose checkpoints go to the Blob checkpoint store. */
function clientWithStore(store: BlobCheckpointStore) {
  let handlers: SubscriptionEventHandlers | undefined;
  const client = {
    subscribe: (h: SubscriptionEventHandlers) => {
      handlers = h;
      return { close: async () => {}, isRunning: true };
    },
  } as unknown as EventHubConsumerClient;
  const context = (partitionId: string) =>
    ({
      ...where,
      partitionId,
      lastEnqueuedEventProperties: {},
      updateCheckpoint: (e: ReceivedEventData) =>
        store.updateCheckpoint({ ...where, partitionId, sequenceNumber: e.sequenceNumber, offset: e.offset }),
    }) as never;
  return {
    client,
    deliver: (partitionId: string, events: ReceivedEventData[]) =>
      handlers!.processEvents(events, context(partitionId)),
  };
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Event Hubs checkpoints in Blob Storage (Azurite)', () => {
  let azurite: TestAzurite;
  beforeAll(async () => {
    azurite = await startTestAzurite();
  });
  afterAll(async () => {
    await azurite?.close();
  });

  async function checkpointStore(name: string) {
    const container = new ContainerClient(azurite.connectionString, name);
    await container.createIfNotExists();
    return new BlobCheckpointStore(container);
  }
  const stored = async (store: BlobCheckpointStore) =>
    Object.fromEntries(
      (await store.listCheckpoints(where.fullyQualifiedNamespace, where.eventHubName, where.consumerGroup)).map((c) => [
        c.partitionId,
        c.sequenceNumber,
      ]),
    );

  it('never checkpoints past an event still being handled, and moves on once it is', async () => {
    const store = await checkpointStore('held');
    const { client, deliver } = clientWithStore(store);
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handled: string[] = [];
    const consumer = createEventHubsSummaryConsumer({
      client,
      contract,
      handle: async (s) => {
        if (s.envelope.stream === 'Account-S') await slow;
        handled.push(`${s.envelope.stream}@${s.envelope.version}`);
      },
      onUnreadable: () => undefined,
    });
    consumer.start();
    await deliver('0', [event('Account-1', 1, 10), event('Account-S', 1, 11), event('Account-2', 1, 12)]);
    await deliver('0', [event('Account-1', 2, 13)]);
    await until(() => handled.length === 3, 'the other streams');
    await until(async () => (await stored(store))['0'] === 10, 'a checkpoint below the slow event');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await stored(store)).toEqual({ '0': 10 });
    release();
    await until(async () => (await stored(store))['0'] === 13, 'the checkpoint past everything');
    await consumer.stop();
  });

  it('checkpoints past a poison event once it is parked with the event', async () => {
    const store = await checkpointStore('parked');
    const first = clientWithStore(store);
    const deadLetters = createInMemoryDeadLetters();
    const consumer = createEventHubsSummaryConsumer({
      client: first.client,
      contract,
      parking: { deadLetters, afterAttempts: 2 },
      retry: { initialDelayMs: 5, maxDelayMs: 5 },
      handle: async (s) => {
        if (s.envelope.stream === 'Account-P') throw new Error('poison');
      },
      onUnreadable: () => undefined,
    });
    consumer.start();
    await first.deliver('1', [event('Account-P', 1, 0), event('Account-1', 1, 1)]);
    await until(async () => (await stored(store))['1'] === 1, 'the checkpoint past the park');
    const [letter] = await consumer.parked.list();
    expect(letter).toMatchObject({ stream: 'Account-P', error: { message: 'poison' } });
    expect(letter?.events[0]?.data).toMatchObject({ partition: '1', offset: '0', key: 'Account-P' });
    await consumer.stop();
  });
});
