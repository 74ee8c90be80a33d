import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementLine } from '../../../functions/bank/statement-lines.ts';
import { createSummaryConsumer, kafkaConfigFromBrokers, type ReceivedSummary } from '../../../src/summaries/index.ts';
import { skipKafka, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import { startTestDevHost } from './dev-host-harness.ts';

let kafka: TestKafka;
let dev: Awaited<ReturnType<typeof startTestDevHost>>;

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

    let arrived: (summary: ReceivedSummary<StatementLine>) => void = () => undefined;
    const deposit = new Promise<ReceivedSummary<StatementLine>>((resolve) => {
      arrived = resolve;
    });
    const consumer = createSummaryConsumer({
      config: kafkaConfigFromBrokers(kafka.brokers),
      groupId: 'dev-host-test',
      contract: StatementLine,
      fromBeginning: true,
      handle: async (summary) => {
        if (summary.body.kind === 'deposit') arrived(summary);
      },
    });
    await consumer.start();
    try {
      await dev.api('POST', '/api/accounts/erin/open', { owner: 'Erin' });
      await dev.api('POST', '/api/accounts/erin/deposit', { amount: 700, transactionId: 'k1' });
      const received = await deposit;
      expect(received.envelope).toMatchObject({ stream: 'Account-erin', version: 2n, contract: 'statement-line' });
      expect(received.body).toMatchObject({ accountId: 'erin', amount: 700, transactionId: 'k1' });
    } finally {
      await consumer.stop();
    }
  });
});
