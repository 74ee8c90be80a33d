/**
 * A summary consumer in a process of its own, to be killed with SIGKILL mid-batch. Prints one line per summary
 * handled (`handled <partition> <offset>`) and one per committed offset it has learnt of (`committed <p> <offset>`).
 */
import { createSummaryConsumer } from '../../../src/summaries/index.ts';
import { quickKafka } from './fixtures.ts';
import { balanceContract } from './summary-consumer-support.ts';

const [brokers, topic, groupId] = [process.env.BROKERS!, process.env.TOPIC!, process.env.GROUP!];
const base = quickKafka(brokers.split(','));
const consumer = createSummaryConsumer({
  config: { ...base, consumer: { ...base.consumer, heartbeatInterval: 300, sessionTimeout: 6_000 } },
  groupId,
  contract: balanceContract(topic),
  commitIntervalMs: 50,
  maxConcurrentStreams: 8,
  handle: async (summary) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    process.stdout.write(`handled ${summary.source.partition} ${summary.source.position}\n`);
  },
  onUnreadable: () => undefined,
});
const known = new Map<string, bigint>();
setInterval(() => {
  for (const { partition, committed } of consumer.stats().partitions) {
    if (committed === undefined || known.get(partition) === committed) continue;
    known.set(partition, committed);
    process.stdout.write(`committed ${partition} ${committed}\n`);
  }
}, 10);
await consumer.start();
