import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import { skipKafka, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';
import { quickKafka } from './fixtures.ts';
import { startProducer, summaryMessage, uniqueName } from './summary-consumer-support.ts';

describe.skipIf(skipKafka)('tributary consume', () => {
  let kafka: TestKafka;
  let topic: string;
  beforeAll(async () => {
    kafka = await startTestKafka();
    topic = uniqueName('look');
    const producer = await startProducer(quickKafka(kafka.brokers));
    await producer.send(topic, [
      summaryMessage('Account-1', 1, { partition: 0 }),
      summaryMessage('Account-1', 2, { partition: 0 }),
      summaryMessage('Other', 1, { partition: 0, headers: {}, value: 'hello' }),
    ]);
    await producer.close();
  });
  afterAll(async () => {
    await kafka?.stop();
  });

  it('prints each message of a topic from the beginning: where, stream and version, contract, body', async () => {
    const { io, out } = captureIo({ KAFKA_BROKERS: kafka.brokers.join(',') });
    const code = await runCli(['consume', topic, '--from-beginning', '--max-messages', '3'], io);
    expect(out.stderr).toContain(`Reading ${topic}`);
    expect(code).toBe(0);
    expect(out.stdout.trim().split('\n')).toEqual([
      '0@0 Account-1@1 AccountBalance v1 {"balance":10}',
      '0@1 Account-1@2 AccountBalance v1 {"balance":20}',
      '0@2 (not a summary; key Other) hello',
    ]);
  });

  it('prints JSON lines with --json, and reads as a named group with --group', async () => {
    const { io, out } = captureIo({});
    const code = await runCli(
      [
        'consume',
        topic,
        '--from-beginning',
        '--max-messages',
        '1',
        '--json',
        '--group',
        uniqueName('look'),
        '--brokers',
        kafka.brokers.join(','),
      ],
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(out.stdout.trim())).toEqual({
      partition: 0,
      offset: '0',
      stream: 'Account-1',
      version: '1',
      contract: 'AccountBalance',
      contractVersion: 1,
      body: { balance: 10 },
    });
    expect(out.stderr).toContain('as group look-');
  });

  it('says where to find the brokers when none are given', async () => {
    const { io, out } = captureIo({});
    expect(await runCli(['consume', topic], io)).toBe(2);
    expect(out.stderr).toContain('$KAFKA_BROKERS');
  });
});
