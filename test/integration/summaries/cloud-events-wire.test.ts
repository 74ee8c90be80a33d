import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { CloudEvent, Kafka as CloudEventsKafka, type KafkaMessage } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementLine } from '../../../functions/bank/statement-lines.ts';
import { StreamName } from '../../../src/core/index.ts';
import {
  createKafkaSummaryPublisher,
  createSummaryConsumer,
  defineSummaryContract,
  type ReceivedSummary,
  type UnreadableMessage,
} from '../../../src/summaries/index.ts';
import { summaryRecord } from '../../../src/summaries/summary-record.ts';
import { skipKafka, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import { quickKafka } from './fixtures.ts';

/** Runs kcat to the end and resolves with its stdout; `input` is written to its stdin (for -P). */
function kcat(args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kcat exited ${code}: ${err}`))));
    child.stdin.end(input ?? '');
  });
}

/** kcat's `%h` prints headers as `name=value,…`; none of the values a summary carries holds `,` or `=`. */
function headersOf(text: string): Record<string, string> {
  return Object.fromEntries(
    text.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

const line = (transactionId: string, amount: number) => ({
  accountId: '42',
  transactionId,
  kind: 'deposit' as const,
  amount,
  bookedAt: '2026-11-30T00:00:00.000Z',
});

let kafka: TestKafka;
beforeAll(async () => {
  kafka = await startTestKafka();
});
afterAll(async () => {
  await kafka?.stop();
});

describe.skipIf(skipKafka)('summaries on a Kafka topic, read by clients that are not Tributary', () => {
  it('carry the CloudEvents headers and the stream version that kcat sees and the cloudevents SDK reads', async () => {
    const topic = `statement-lines-${randomUUID().slice(0, 8)}`;
    const contract = defineSummaryContract({
      name: StatementLine.name,
      version: 1,
      schema: StatementLine.schema,
      topic,
    });
    const publisher = createKafkaSummaryPublisher({ config: quickKafka(kafka.brokers) });
    const stream = StreamName.parse('Account-42');
    const bookedAt = new Date('2026-11-30T00:00:00.000Z');
    await publisher.publish(summaryRecord(contract, stream, 3n, line('t-1', 500), 'corr-1', bookedAt));
    await publisher.publish(summaryRecord(contract, stream, 4n, line('t-2', -200), 'corr-2', bookedAt));
    await publisher.close();

    const output = await kcat([
      '-b',
      kafka.brokers.join(','),
      '-C',
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%k\t%h\t%s\n',
    ]);
    const messages = output
      .trim()
      .split('\n')
      .map((row) => {
        const [key = '', headers = '', value = ''] = row.split('\t');
        return { key, headers: headersOf(headers), value };
      });
    expect(messages.map((m) => m.headers.ce_id)).toEqual([
      'Account-42:3:statement-line@1',
      'Account-42:4:statement-line@1',
    ]);
    expect(messages[0]?.key).toBe('Account-42');
    expect(messages[0]?.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_source: `urn:tributary:${topic}`,
      ce_type: 'statement-line.v1',
      ce_subject: 'Account-42',
      ce_time: '2026-11-30T00:00:00.000Z',
      ce_dataschema: `urn:tributary:${topic}:v1`,
      'content-type': 'application/json',
      'tributary-stream-version': '3',
    });
    for (const message of messages) {
      const kafkaMessage: KafkaMessage<string> = { ...message, body: message.value };
      const event = CloudEventsKafka.toEvent(kafkaMessage);
      expect(event).toBeInstanceOf(CloudEvent);
      if (!(event instanceof CloudEvent)) continue;
      expect(event.validate()).toBe(true);
      expect(event.data).toEqual(JSON.parse(message.value));
    }
  });

  it("give the consumer's onUnreadable what it can't read, produced by another client, and handle the rest", async () => {
    const topic = `statement-lines-${randomUUID().slice(0, 8)}`;
    const contract = defineSummaryContract({
      name: StatementLine.name,
      version: 1,
      schema: StatementLine.schema,
      topic,
    });
    const brokers = kafka.brokers.join(',');
    // a plain record without headers, and a statement line of a shape the contract does not accept
    await kcat(['-b', brokers, '-P', '-t', topic, '-k', 'Account-1'], 'hello\n');
    await kcat(
      [
        ...['-b', brokers, '-P', '-t', topic, '-k', 'Account-1'],
        ...['-H', 'ce_specversion=1.0', '-H', 'ce_id=Account-1:1:statement-line@1', '-H', 'ce_type=statement-line.v1'],
        ...['-H', 'ce_subject=Account-1', '-H', 'tributary-stream-version=1', '-H', 'content-type=application/json'],
      ],
      '{"accountId":"1","amount":"lots"}\n',
    );
    const publisher = createKafkaSummaryPublisher({ config: quickKafka(kafka.brokers) });
    await publisher.publish(summaryRecord(contract, StreamName.parse('Account-2'), 2n, line('t-9', 1), undefined));
    await publisher.close();

    const handled: ReceivedSummary[] = [];
    const unreadable: UnreadableMessage[] = [];
    const consumer = createSummaryConsumer({
      config: quickKafka(kafka.brokers),
      groupId: `g-${randomUUID().slice(0, 8)}`,
      contract,
      handle: async (summary) => void handled.push(summary),
      onUnreadable: (message) => void unreadable.push(message),
    });
    await consumer.start();
    try {
      const deadline = Date.now() + 20_000;
      while (handled.length + unreadable.length < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await consumer.stop();
    }
    expect(unreadable.map((m) => m.reason)).toEqual(['not-a-summary', 'invalid-shape']);
    expect(unreadable[1]?.problem).toContain('Account-1:1:statement-line@1 does not match statement-line');
    expect(handled.map((s) => s.envelope.idempotencyKey)).toEqual(['Account-2:2:statement-line@1']);
    expect(consumer.stats().summaries).toEqual({ handled: 1, stale: 0, unreadable: 2, notYet: 0 });
  });
});
