import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardStatus } from '../../../src/dev/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
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
    expect(await waitUntilHandled(dev.processor(Processors.statementLines).scheduler, 'Account-erin', 2n)).toBe(
      'handled',
    );

    const messages = await readTopic('statement-lines');
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message?.key).toBe('Account-erin');
    expect(JSON.parse(message?.payload ?? '')).toMatchObject({ accountId: 'erin', amount: 700, transactionId: 'k1' });
    expect(message?.headers).toEqual(expect.arrayContaining(['tributary-stream-version', '2']));
  });

  it("runs the app's statement-ledger consumer: a deposit's statement line is handled downstream and its lag shown", async () => {
    expect(dev.host.consumers.map((c) => [c.name, c.topic])).toEqual([['statement-ledger', 'statement-lines']]);
    await dev.api('POST', '/api/accounts/fay/open', { owner: 'Fay' });
    await dev.api('POST', '/api/accounts/fay/deposit', { amount: 250, transactionId: 'f1' });
    await dev.api('POST', '/api/accounts/fay/withdraw', { amount: 40, transactionId: 'f2' });
    const deadline = Date.now() + 30_000;
    let ledger = await dev.api('GET', '/api/ledger/fay');
    while (ledger.status !== 200 || ((ledger.body?.lines ?? []) as unknown[]).length < 2) {
      if (Date.now() > deadline) throw new Error(`the ledger never got fay's lines: ${JSON.stringify(ledger)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      ledger = await dev.api('GET', '/api/ledger/fay');
    }
    expect(ledger.body).toMatchObject({
      accountId: 'fay',
      balance: 210,
      lines: [
        { transactionId: 'f1', kind: 'deposit', amount: 250 },
        { transactionId: 'f2', kind: 'withdrawal', amount: -40 },
      ],
    });
    const consumer = dev.host.consumers[0]!;
    expect(consumer.stats().summaries.handled).toBeGreaterThanOrEqual(2);
    // The dashboard shows the consumer with its partitions; the committed offsets catch up within a commit interval.
    const written = (shown: DashboardStatus['consumers'][number] | undefined) =>
      shown?.partitions.filter((p) => p.newest !== undefined && p.newest !== '0') ?? [];
    let status = await dev.json<DashboardStatus>('/dashboard/api/status');
    const settled = (rows: ReturnType<typeof written>) =>
      rows.length > 0 && rows.every((p) => p.committed === p.newest);
    while (!settled(written(status.consumers[0]))) {
      if (Date.now() > deadline) throw new Error(`the consumer never committed: ${JSON.stringify(status.consumers)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await dev.json<DashboardStatus>('/dashboard/api/status');
    }
    const [shown] = status.consumers;
    expect(shown).toMatchObject({ name: 'statement-ledger', topic: 'statement-lines', parked: 0, failing: 0 });
    expect(shown?.handled).toBe(consumer.stats().summaries.handled);
    const busy = written(shown);
    expect(busy.reduce((sum, p) => sum + Number(p.newest), 0)).toBeGreaterThanOrEqual(3);
    for (const partition of busy) expect(partition).toMatchObject({ committed: partition.newest, lag: 0, inFlight: 0 });
  });
});
