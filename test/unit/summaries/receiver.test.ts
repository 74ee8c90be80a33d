import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CloudEventHeaders,
  createInMemoryLastSeenVersions,
  createSummaryReceiver,
  defineSummaryContract,
  envelopeHeaders,
  eventHubsMessage,
  idempotencyKey,
  parseEnvelope,
  type ReceivedSummary,
  SummaryHeaders,
  type UnreadableMessage,
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

/** For receivers that must never meet an unreadable message. */
const unexpected = (message: UnreadableMessage) => {
  throw new Error(`unexpected unreadable message: ${message.problem}`);
};

describe('the downstream summary receiver', () => {
  it('hands over each newer version of a stream and skips versions not newer than the last one handled', async () => {
    const handled: ReceivedSummary<{ balance: number }>[] = [];
    const receiver = createSummaryReceiver({
      contract,
      handle: async (s) => void handled.push(s),
      onUnreadable: unexpected,
    });
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
    const receiver = createSummaryReceiver({ contract, lastSeen, handle: async () => {}, onUnreadable: unexpected });
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
      onUnreadable: unexpected,
    });
    const message = { headers: kafkaHeaders('Account-1', 1), value: '{"balance":1}', source };
    await expect(receiver.receive(message)).rejects.toThrow('downstream database unavailable');
    fail = false;
    expect(await receiver.receive(message)).toBe('handled');
  });

  it('gives every message it cannot read to onUnreadable, saying why, and counts it', async () => {
    const unreadable: UnreadableMessage[] = [];
    const receiver = createSummaryReceiver({
      contract,
      handle: async () => {},
      onUnreadable: (message) => void unreadable.push(message),
    });
    const other = { ...kafkaHeaders('Account-1', 1), [CloudEventHeaders.type]: Buffer.from('Other.v1') };
    const newer = { ...kafkaHeaders('Account-1', 2), [CloudEventHeaders.type]: Buffer.from('AccountBalance.v2') };
    const deliveries = [
      { headers: {}, value: '{}', source },
      { headers: other, value: '{}', source },
      { headers: kafkaHeaders('Account-1', 1), value: '{"balance":"high"}', source },
      { headers: kafkaHeaders('Account-1', 1), value: 'not json', source },
      { headers: newer, value: '{"balance":{"cents":1}}', source },
    ];
    for (const delivery of deliveries) expect(await receiver.receive(delivery)).toBe('unreadable');
    expect(unreadable.map((m) => m.reason)).toEqual([
      'not-a-summary',
      'other-contract',
      'invalid-shape',
      'not-json',
      'newer-version',
    ]);
    expect(unreadable[2]?.problem).toContain('Account-1:1:AccountBalance@1 does not match AccountBalance: balance');
    expect(unreadable[4]?.problem).toContain('built for v1');
    expect(unreadable[3]).toMatchObject({ value: 'not json', source, envelope: { stream: 'Account-1' } });
    expect(receiver.stats()).toEqual({ handled: 0, stale: 0, unreadable: 5, notYet: 0 });
  });

  it('gives onUnreadable the message as recorded (plain JSON) when the caller says how, else as it came', async () => {
    const unreadable: UnreadableMessage[] = [];
    const receiver = createSummaryReceiver({
      contract,
      handle: async () => {},
      onUnreadable: (message) => void unreadable.push(message),
    });
    const headers = kafkaHeaders('Account-1', 1);
    const value = Buffer.from('not json');
    const recorded = () => ({ headers: { ce_subject: 'Account-1' }, value: 'not json' });
    expect(await receiver.receive({ headers, value, source, recorded })).toBe('unreadable');
    expect(await receiver.receive({ headers, value, source })).toBe('unreadable');
    expect(unreadable[0]).toMatchObject({
      reason: 'not-json',
      headers: { ce_subject: 'Account-1' },
      value: 'not json',
    });
    expect(unreadable[1]?.value).toBe(value);
    expect(unreadable[1]?.headers).toBe(headers);
  });

  it('reads a newer version of its contract with its own schema when that version is compatible', async () => {
    const handled: unknown[] = [];
    const receiver = createSummaryReceiver({
      contract,
      handle: async (s) => void handled.push(s.body),
      onUnreadable: unexpected,
    });
    const newer = { ...kafkaHeaders('Account-1', 1), [CloudEventHeaders.type]: Buffer.from('AccountBalance.v2') };
    expect(await receiver.receive({ headers: newer, value: '{"balance":4,"currency":"EUR"}', source })).toBe('handled');
    expect(handled).toEqual([{ balance: 4 }]);
  });

  it('delivers the message again when onUnreadable throws: nothing is passed over unseen', async () => {
    const receiver = createSummaryReceiver({
      contract,
      handle: async () => {},
      onUnreadable: () => {
        throw new Error('dead-letter table unavailable');
      },
    });
    await expect(receiver.receive({ headers: {}, value: '{}', source })).rejects.toThrow('dead-letter table');
    expect(receiver.stats().unreadable).toBe(0);
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
      source: 'urn:tributary:AccountBalance',
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
    const receiver = createSummaryReceiver({
      contract,
      handle: async (s) => void handled.push(s.body),
      onUnreadable: unexpected,
    });
    const message = eventHubsMessage(
      { body: { balance: 9 }, properties: kafkaHeaders('Account-8', 1), sequenceNumber: 1 },
      'balances',
      '0',
    );
    expect(await receiver.receive(message)).toBe('handled');
    expect(handled).toEqual([{ balance: 9 }]);
  });
});
