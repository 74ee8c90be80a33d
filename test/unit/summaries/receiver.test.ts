import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createInMemoryLastSeenVersions,
  createSummaryReceiver,
  defineSummaryContract,
  envelopeHeaders,
  eventHubsMessage,
  idempotencyKey,
  parseEnvelope,
  type ReceivedSummary,
  SummaryHeaders,
} from '../../../src/summaries/index.ts';

const contract = defineSummaryContract({
  name: 'AccountBalance',
  version: 1,
  schema: z.object({ balance: z.number() }),
  topic: 'balances',
});

function kafkaHeaders(stream: string, version: number): Record<string, Buffer> {
  const headers = envelopeHeaders({
    stream,
    version: BigInt(version),
    contract: 'AccountBalance',
    contractVersion: 1,
    idempotencyKey: idempotencyKey(stream, BigInt(version), 'AccountBalance', 1),
    correlationId: 'c-1',
  });
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
}

const source = { topic: 'balances', partition: '0', position: '0' };

describe('the downstream summary receiver', () => {
  it('hands over each newer version of a stream and skips versions not newer than the last one handled', async () => {
    const handled: ReceivedSummary<{ balance: number }>[] = [];
    const receiver = createSummaryReceiver({ contract, handle: async (s) => void handled.push(s) });
    const deliveries = [1, 2, 2, 1, 4, 3, 5];
    const outcomes = [];
    for (const version of deliveries) {
      outcomes.push(
        await receiver.receive({
          headers: kafkaHeaders('Account-1', version),
          value: Buffer.from(`{"balance":${version}}`),
          source,
        }),
      );
    }
    expect(outcomes).toEqual(['handled', 'handled', 'stale', 'stale', 'handled', 'stale', 'handled']);
    expect(handled.map((s) => s.envelope.version)).toEqual([1n, 2n, 4n, 5n]);
    expect(handled[0]?.body).toEqual({ balance: 1 });
  });

  it('keeps the last seen version per stream, so streams do not filter each other', async () => {
    const lastSeen = createInMemoryLastSeenVersions();
    const receiver = createSummaryReceiver({ contract, lastSeen, handle: async () => {} });
    await receiver.receive({ headers: kafkaHeaders('Account-1', 5), value: '{"balance":1}', source });
    expect(await receiver.receive({ headers: kafkaHeaders('Account-2', 1), value: '{"balance":1}', source })).toBe(
      'handled',
    );
    expect(await lastSeen.get('AccountBalance:Account-1')).toBe(5n);
    expect(await lastSeen.get('AccountBalance:Account-2')).toBe(1n);
  });

  it('does not record a version whose handler failed, so the redelivery is handled', async () => {
    let fail = true;
    const receiver = createSummaryReceiver({
      contract,
      handle: async () => {
        if (fail) throw new Error('downstream database unavailable');
      },
    });
    const message = { headers: kafkaHeaders('Account-1', 1), value: '{"balance":1}', source };
    await expect(receiver.receive(message)).rejects.toThrow('downstream database unavailable');
    fail = false;
    expect(await receiver.receive(message)).toBe('handled');
  });

  it('skips messages without Tributary headers or of another contract, and rejects bodies failing the schema', async () => {
    const rejected: string[] = [];
    const receiver = createSummaryReceiver({
      contract,
      handle: async () => {},
      onRejected: (reason) => rejected.push(reason),
    });
    expect(await receiver.receive({ headers: {}, value: '{}', source })).toBe('foreign');
    const other = { ...kafkaHeaders('Account-1', 1), [SummaryHeaders.contract]: Buffer.from('Other') };
    expect(await receiver.receive({ headers: other, value: '{}', source })).toBe('foreign');
    expect(await receiver.receive({ headers: kafkaHeaders('Account-1', 1), value: '{"balance":"high"}', source })).toBe(
      'rejected',
    );
    expect(await receiver.receive({ headers: kafkaHeaders('Account-1', 1), value: 'not json', source })).toBe(
      'rejected',
    );
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toContain('Account-1:1:AccountBalance@1');
    expect(receiver.stats()).toEqual({ handled: 0, stale: 0, foreign: 2, rejected: 2 });
  });
});

describe('summary envelopes', () => {
  it('round-trip through Kafka headers', () => {
    expect(parseEnvelope(kafkaHeaders('Account-7', 12))).toEqual({
      stream: 'Account-7',
      version: 12n,
      contract: 'AccountBalance',
      contractVersion: 1,
      idempotencyKey: 'Account-7:12:AccountBalance@1',
      correlationId: 'c-1',
    });
  });

  it('are read from Event Hubs AMQP application properties, as bytes or as strings and numbers', () => {
    const asBytes = eventHubsMessage(
      {
        body: new Uint8Array(Buffer.from('{"balance":3}')),
        properties: kafkaHeaders('Account-7', 12),
        sequenceNumber: 44,
      },
      'balances',
      '3',
    );
    expect(parseEnvelope(asBytes.headers)?.version).toBe(12n);
    expect(asBytes.source).toEqual({ topic: 'balances', partition: '3', position: '44' });
    const asValues = {
      [SummaryHeaders.stream]: 'Account-7',
      [SummaryHeaders.version]: 12,
      [SummaryHeaders.contract]: 'AccountBalance',
      [SummaryHeaders.contractVersion]: 1,
    };
    expect(parseEnvelope(asValues)).toMatchObject({
      stream: 'Account-7',
      version: 12n,
      idempotencyKey: 'Account-7:12:AccountBalance@1',
    });
  });

  it('are refused when the version is not a non-negative integer', () => {
    expect(
      parseEnvelope({ ...kafkaHeaders('Account-7', 1), [SummaryHeaders.version]: Buffer.from('-1') }),
    ).toBeUndefined();
    expect(parseEnvelope(undefined)).toBeUndefined();
  });

  it('hand Event Hubs bodies that the SDK already decoded to the handler as they are', async () => {
    const handled: unknown[] = [];
    const receiver = createSummaryReceiver({ contract, handle: async (s) => void handled.push(s.body) });
    const message = eventHubsMessage(
      { body: { balance: 9 }, properties: kafkaHeaders('Account-8', 1), sequenceNumber: 1 },
      'balances',
      '0',
    );
    expect(await receiver.receive(message)).toBe('handled');
    expect(handled).toEqual([{ balance: 9 }]);
  });
});
