import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryDeadLetters } from '../../../src/streams/index.ts';
import {
  createSummaryConsumer,
  envelopeHeaders,
  idempotencyKey,
  type ReceivedSummary,
  type SummaryConsumer,
  type UnreadableMessage,
} from '../../../src/summaries/index.ts';
import { skipKafka, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import { quickKafka } from './fixtures.ts';
import { balanceContract, startProducer, summaryMessage, uniqueName, until } from './summary-consumer-support.ts';

type Balance = { balance: number };
const versionsOf = (received: ReceivedSummary<Balance>[], stream: string) =>
  received.filter((s) => s.envelope.stream === stream).map((s) => Number(s.envelope.version));

describe.skipIf(skipKafka)('a summary consumer on the stream scheduler', () => {
  let kafka: TestKafka;
  const running: SummaryConsumer[] = [];

  beforeAll(async () => {
    kafka = await startTestKafka();
  });
  afterAll(async () => {
    for (const consumer of running) await consumer.stop().catch(() => undefined);
    await kafka?.stop();
  });

  const config = () => quickKafka(kafka.brokers);
  const fast = { retry: { initialDelayMs: 10, maxDelayMs: 50 }, commitIntervalMs: 100, settleTimeoutMs: 500 };

  it('parks a poison summary with its error and message while the rest of its partition flows and the offset moves past it; a replay hands it over in order', async () => {
    const topic = uniqueName('poison');
    const producer = await startProducer(config());
    const messages = [];
    for (let version = 1; version <= 3; version++) {
      for (const stream of ['Account-1', 'Account-2', 'Account-P'])
        messages.push(summaryMessage(stream, version, { partition: 0 }));
    }
    await producer.send(topic, messages);
    const deadLetters = createInMemoryDeadLetters();
    const received: ReceivedSummary<Balance>[] = [];
    let fixed = false;
    const consumer = createSummaryConsumer({
      config: config(),
      groupId: uniqueName('g'),
      contract: balanceContract(topic),
      ...fast,
      parking: { deadLetters, afterAttempts: 3 },
      handle: async (summary) => {
        if (summary.envelope.stream === 'Account-P' && summary.envelope.version === 2n && !fixed)
          throw new Error('the ledger refuses balance 20');
        received.push(summary);
      },
      onUnreadable: () => undefined,
    });
    running.push(consumer);
    await consumer.start();
    try {
      await until(() => consumer.stats().scheduler.streams.parked === 1 && received.length === 7, 'the park');
      expect(versionsOf(received, 'Account-1')).toEqual([1, 2, 3]);
      expect(versionsOf(received, 'Account-2')).toEqual([1, 2, 3]);
      // v3 of the poisoned stream waits behind v2 in the dead letter: order within the stream is kept
      expect(versionsOf(received, 'Account-P')).toEqual([1]);
      const [letter] = await consumer.parked.list();
      expect(letter?.stream).toBe('Account-P');
      expect(letter?.error.message).toBe('the ledger refuses balance 20');
      expect(letter?.events.map((event) => (event.data as { offset: string }).offset)).toEqual(['5', '8']);
      expect(letter?.events[0]?.data).toMatchObject({
        topic,
        partition: '0',
        key: 'Account-P',
        value: '{"balance":20}',
      });
      await until(() => consumer.stats().partitions.some((p) => p.committed === 9n), 'the commit past the park');
      expect(consumer.stats().partitions.find((p) => p.partition === '0')).toMatchObject({
        newest: 9n,
        committed: 9n,
        lag: 0,
        inFlight: 0,
      });
      fixed = true;
      await consumer.parked.replay('Account-P');
      expect(versionsOf(received, 'Account-P')).toEqual([1, 2, 3]);
      expect(await consumer.parked.list()).toEqual([]);
    } finally {
      await consumer.stop();
      await producer.close();
    }
  });

  it('offers a summary whose prerequisite is missing again until it arrives, then handles its stream in order', async () => {
    const topic = uniqueName('notyet');
    const producer = await startProducer(config());
    await producer.send(topic, [
      summaryMessage('Transfer-1', 1, { partition: 0 }),
      summaryMessage('Transfer-1', 2, { partition: 0 }),
    ]);
    const received: ReceivedSummary<Balance>[] = [];
    let waits = 0;
    const consumer = createSummaryConsumer({
      config: config(),
      groupId: uniqueName('g'),
      contract: balanceContract(topic),
      ...fast,
      notYet: { delayMs: 20, maxAttempts: 10_000 },
      handle: async (summary) => {
        if (summary.envelope.stream === 'Transfer-1' && !received.some((s) => s.envelope.stream === 'Account-9')) {
          waits++;
          return { kind: 'notYet', reason: 'Account-9 not seen yet' };
        }
        received.push(summary);
      },
      onUnreadable: () => undefined,
    });
    running.push(consumer);
    await consumer.start();
    try {
      await until(() => waits >= 3, 'a few notYet answers');
      expect(received).toEqual([]);
      expect(consumer.stats().partitions.find((p) => p.partition === '0')?.committed ?? 0n).toBe(0n);
      await producer.send(topic, [summaryMessage('Account-9', 1, { partition: 1 })]);
      await until(() => received.length === 3, 'all three summaries');
      expect(received.map((s) => `${s.envelope.stream}@${s.envelope.version}`)).toEqual([
        'Account-9@1',
        'Transfer-1@1',
        'Transfer-1@2',
      ]);
      expect(consumer.stats().scheduler.notYet).toBeGreaterThanOrEqual(3);
      await until(() => consumer.stats().partitions.find((p) => p.partition === '0')?.committed === 2n, 'commit');
    } finally {
      await consumer.stop();
      await producer.close();
    }
  });

  it('parks messages it cannot read with the reason: no envelope, not JSON, an unknown contract version', async () => {
    const topic = uniqueName('unreadable');
    const producer = await startProducer(config());
    await producer.send(topic, [
      summaryMessage('Account-1', 1, { partition: 0, headers: { unrelated: 'yes' } }),
      summaryMessage('Account-2', 1, { partition: 0, value: '{not json' }),
      summaryMessage('Account-3', 1, { partition: 0, contractVersion: 2, value: '{"credit":5}' }),
      summaryMessage('Account-4', 1, { partition: 0 }),
    ]);
    const deadLetters = createInMemoryDeadLetters();
    const seen: string[] = [];
    const received: ReceivedSummary<Balance>[] = [];
    const consumer = createSummaryConsumer({
      config: config(),
      groupId: uniqueName('g'),
      contract: balanceContract(topic),
      ...fast,
      parking: { deadLetters },
      handle: async (summary) => {
        received.push(summary);
      },
      onUnreadable: (message) => {
        seen.push(message.reason);
      },
    });
    running.push(consumer);
    await consumer.start();
    try {
      await until(() => consumer.stats().scheduler.streams.parked === 3 && received.length === 1, 'three parked');
      expect(seen.sort()).toEqual(['newer-version', 'not-a-summary', 'not-json']);
      const letters = (await consumer.parked.list()).sort((a, b) => a.stream.localeCompare(b.stream));
      expect(letters.map((letter) => [letter.stream, letter.error.name, letter.events.length])).toEqual([
        ['Account-1', 'SummaryMessageUnreadable', 1],
        ['Account-2', 'SummaryMessageUnreadable', 1],
        ['Account-3', 'SummaryMessageUnreadable', 1],
      ]);
      expect(letters[0]?.error.message).toContain('has no summary envelope');
      expect(letters[1]?.error.message).toContain('is not JSON');
      expect(letters[2]?.error.message).toContain("can't read");
      expect(consumer.stats().summaries).toMatchObject({ unreadable: 3, handled: 1 });
      await until(() => consumer.stats().partitions.find((p) => p.partition === '0')?.committed === 4n, 'commit');
    } finally {
      await consumer.stop();
      await producer.close();
    }
  });

  it('parks, each with its reason, a summary of another contract, a body of the wrong shape, bytes that are not UTF-8 and a stream version that is not a number', async () => {
    const topic = uniqueName('unreadable-more');
    const producer = await startProducer(config());
    const otherContract = envelopeHeaders({
      stream: 'Account-5',
      version: 1n,
      contract: 'CustomerAddress',
      contractVersion: 1,
      idempotencyKey: idempotencyKey('Account-5', 1n, 'CustomerAddress', 1),
    });
    const badVersion = { ...summaryMessage('Account-8', 1).headers, 'tributary-stream-version': 'seven' };
    await producer.send(topic, [
      summaryMessage('Account-5', 1, { partition: 0, headers: otherContract }),
      summaryMessage('Account-6', 1, { partition: 0, value: '{"balance":"twenty"}' }),
      { ...summaryMessage('Account-7', 1, { partition: 0 }), value: Buffer.from([0xff, 0xfe, 0x7b, 0x80]) },
      summaryMessage('Account-8', 1, { partition: 0, headers: badVersion }),
      summaryMessage('Account-9', 1, { partition: 0 }),
    ]);
    const deadLetters = createInMemoryDeadLetters();
    const seen: string[] = [];
    const given: UnreadableMessage[] = [];
    const received: ReceivedSummary<Balance>[] = [];
    const consumer = createSummaryConsumer({
      config: config(),
      groupId: uniqueName('g'),
      contract: balanceContract(topic),
      ...fast,
      parking: { deadLetters },
      handle: async (summary) => {
        received.push(summary);
      },
      onUnreadable: (message) => {
        seen.push(`${message.source.position} ${message.reason}`);
        given.push(message);
      },
    });
    running.push(consumer);
    await consumer.start();
    try {
      await until(() => consumer.stats().scheduler.streams.parked === 4 && received.length === 1, 'four parked');
      expect(seen.sort()).toEqual(['0 other-contract', '1 invalid-shape', '2 not-json', '3 not-a-summary']);
      // onUnreadable gets the headers as text, a UTF-8 body as text and other bytes as they came
      const byPosition = new Map(given.map((message) => [message.source.position, message]));
      expect(byPosition.get('1')).toMatchObject({
        value: '{"balance":"twenty"}',
        headers: { ce_subject: 'Account-6' },
      });
      expect(Buffer.from(byPosition.get('2')?.value as Uint8Array)).toEqual(Buffer.from([0xff, 0xfe, 0x7b, 0x80]));
      expect(byPosition.get('3')?.headers).toMatchObject({ 'tributary-stream-version': 'seven' });
      expect(received.map((s) => s.envelope.stream)).toEqual(['Account-9']);
      const letters = (await consumer.parked.list()).sort((a, b) => a.stream.localeCompare(b.stream));
      expect(letters.map((letter) => [letter.stream, letter.error.name])).toEqual([
        ['Account-5', 'SummaryMessageUnreadable'],
        ['Account-6', 'SummaryMessageUnreadable'],
        ['Account-7', 'SummaryMessageUnreadable'],
        ['Account-8', 'SummaryMessageUnreadable'],
      ]);
      expect(letters[0]?.error.message).toContain('is of contract CustomerAddress, not AccountBalance');
      expect(letters[1]?.error.message).toMatch(/does not match AccountBalance: balance: .*number/);
      expect(letters[2]?.error.message).toContain('is not JSON');
      expect(letters[3]?.error.message).toContain('has no summary envelope');
      // the undecodable bytes are kept as they came, in base64, so that nothing of the message is lost
      expect(letters[2]?.events[0]?.data).toMatchObject({ value: '//57gA==', valueEncoding: 'base64' });
      expect(letters[3]?.events[0]?.data).toMatchObject({ headers: { 'tributary-stream-version': 'seven' } });
      expect(consumer.stats().summaries).toMatchObject({ unreadable: 4, handled: 1 });
      await until(() => consumer.stats().partitions.find((p) => p.partition === '0')?.committed === 5n, 'commit');
    } finally {
      await consumer.stop();
      await producer.close();
    }
  });

  it('holds the offset below a failing summary when parking is off, and commits nothing past it', async () => {
    const topic = uniqueName('held');
    const producer = await startProducer(config());
    await producer.send(topic, [
      summaryMessage('Account-1', 1, { partition: 0 }),
      summaryMessage('Account-F', 1, { partition: 0 }),
      summaryMessage('Account-2', 1, { partition: 0 }),
    ]);
    const received: string[] = [];
    const consumer = createSummaryConsumer({
      config: config(),
      groupId: uniqueName('g'),
      contract: balanceContract(topic),
      ...fast,
      handle: async (summary) => {
        if (summary.envelope.stream === 'Account-F') throw new Error('down');
        received.push(summary.envelope.stream);
      },
      onUnreadable: () => undefined,
    });
    running.push(consumer);
    await consumer.start();
    try {
      await until(() => received.length === 2 && consumer.stats().scheduler.failures >= 3, 'failures');
      await until(() => consumer.stats().partitions.find((p) => p.partition === '0')?.committed === 1n, 'commit');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(consumer.stats().partitions.find((p) => p.partition === '0')).toMatchObject({ committed: 1n, lag: 2 });
    } finally {
      await consumer.stop();
      await producer.close();
    }
  });
});
