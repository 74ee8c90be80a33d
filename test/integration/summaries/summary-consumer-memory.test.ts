import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosmosLastSeenVersions, createSummaryConsumer } from '../../../src/summaries/index.ts';
import { skipKafka, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { quickKafka } from './fixtures.ts';
import { balanceContract, startProducer, summaryMessage, uniqueName, until } from './summary-consumer-support.ts';

const cosmos = useTestCosmos();

describe.skipIf(skipKafka)('a summary consumer with its versions in Cosmos', () => {
  let kafka: TestKafka;
  beforeAll(async () => {
    kafka = await startTestKafka();
  });
  afterAll(async () => {
    await kafka?.stop();
  });

  it('skips, after a restart that reads the topic again from the start, every summary it had handled', async () => {
    const topic = uniqueName('memory');
    const config = quickKafka(kafka.brokers);
    const producer = await startProducer(config);
    await producer.send(
      topic,
      ['Account-1', 'Account-2'].flatMap((stream) => [1, 2, 3].map((version) => summaryMessage(stream, version))),
    );
    const database = await cosmos.database('consumer-memory');
    const { container } = await database.containers.createIfNotExists({ id: 'versions', partitionKey: '/id' });
    const run = async (handled: string[]) => {
      const consumer = createSummaryConsumer({
        config,
        // a new group each run: the committed offsets are lost, only the version memory remains
        groupId: uniqueName('g'),
        contract: balanceContract(topic),
        commitIntervalMs: 100,
        lastSeen: cosmosLastSeenVersions(container, { prefix: 'statement-lines' }),
        handle: async (summary) => {
          handled.push(`${summary.envelope.stream}@${summary.envelope.version}`);
        },
        onUnreadable: () => undefined,
      });
      await consumer.start();
      return consumer;
    };
    const first: string[] = [];
    const consumer1 = await run(first);
    await until(() => first.length === 6, 'the first run');
    await consumer1.stop();
    await producer.send(topic, [summaryMessage('Account-1', 4)]);
    const second: string[] = [];
    const consumer2 = await run(second);
    try {
      await until(() => consumer2.stats().summaries.stale === 6 && second.length === 1, 'the second run');
      expect(second).toEqual(['Account-1@4']);
    } finally {
      await consumer2.stop();
      await producer.close();
    }
  });
});
