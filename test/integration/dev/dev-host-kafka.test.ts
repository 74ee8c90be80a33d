import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipKafka, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import { Processors, startTestDevHost } from './dev-host-harness.ts';

let kafka: TestKafka;
let dev: Awaited<ReturnType<typeof startTestDevHost>>;

/** Everything on a topic, read with kcat (no consumer group to join, so it is quick). */
function readTopic(topic: string): Promise<{ key: string; payload: string; headers: string[] }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', [
      '-C',
      '-b',
      kafka.brokers.join(','),
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-J',
      '-q',
    ]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', () =>
      resolve(
        out
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => JSON.parse(line)),
      ),
    );
  });
}

beforeAll(async () => {
  if (skipKafka) return;
  kafka = await startTestKafka();
  dev = await startTestDevHost({ kafkaBrokers: kafka.brokers.join(',') });
});

afterAll(async () => {
  await dev?.close();
  await kafka?.stop();
});

describe.skipIf(skipKafka)('the dev host with KAFKA_BROKERS', () => {
  it('publishes statement lines to Kafka instead of the local file, and says so', async () => {
    expect(dev.host.summarySink).toEqual({ kind: 'kafka', target: kafka.brokers.join(',') });
    expect(dev.host.summaryDirectory).toBeUndefined();
    await dev.api('POST', '/api/accounts/erin/open', { owner: 'Erin' });
    await dev.api('POST', '/api/accounts/erin/deposit', { amount: 700, transactionId: 'k1' });
    // The reactor counts an event handled only once the broker has acknowledged its summary.
    expect(await dev.processor(Processors.statementLines).scheduler.waitFor('Account-erin', 1n)).toBe('handled');

    const messages = await readTopic('statement-lines');
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message?.key).toBe('Account-erin');
    expect(JSON.parse(message?.payload ?? '')).toMatchObject({ accountId: 'erin', amount: 700, transactionId: 'k1' });
    expect(message?.headers).toEqual(expect.arrayContaining(['tributary-stream-version', '2']));
  });
});
