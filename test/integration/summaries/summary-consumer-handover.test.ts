import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInMemoryLastSeenVersions,
  createSummaryConsumer,
  type ReceivedSummary,
  type SummaryConsumer,
  type SummaryKafkaConfig,
} from '../../../src/summaries/index.ts';
import { skipKafka, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import { quickKafka } from './fixtures.ts';
import { balanceContract, startProducer, summaryMessage, uniqueName, until } from './summary-consumer-support.ts';

type Balance = { balance: number };
const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'summary-consumer-child.ts');

describe.skipIf(skipKafka)('summary consumers across restarts and rebalances', () => {
  let kafka: TestKafka;
  const running: SummaryConsumer[] = [];

  beforeAll(async () => {
    kafka = await startTestKafka();
  });
  afterAll(async () => {
    for (const consumer of running) await consumer.stop().catch(() => undefined);
    await kafka?.stop();
  });

  const config = (): SummaryKafkaConfig => {
    const base = quickKafka(kafka.brokers);
    return { ...base, consumer: { ...base.consumer, heartbeatInterval: 300, sessionTimeout: 6_000 } };
  };
  const fast = { retry: { initialDelayMs: 10, maxDelayMs: 50 }, commitIntervalMs: 100 };

  it('a consumer stopped with a summary still unhandled loses nothing and, restarted, re-reads only what was past the committed offset', async () => {
    const topic = uniqueName('restart');
    const groupId = uniqueName('g');
    const producer = await startProducer(config());
    const streams = Array.from({ length: 8 }, (_, i) => `Account-${i}`);
    const messages = [];
    for (let version = 1; version <= 5; version++)
      for (const stream of [...streams, 'Account-S']) messages.push(summaryMessage(stream, version));
    await producer.send(topic, messages);
    const lastSeen = createInMemoryLastSeenVersions();
    const first: ReceivedSummary<Balance>[] = [];
    let stuckAt: ReceivedSummary['source'] | undefined;
    const consumer1 = createSummaryConsumer({
      config: config(),
      groupId,
      contract: balanceContract(topic),
      ...fast,
      settleTimeoutMs: 300,
      lastSeen,
      handle: (summary) => {
        if (summary.envelope.stream === 'Account-S' && summary.envelope.version === 3n) {
          stuckAt = summary.source;
          return new Promise<void>(() => {});
        }
        first.push(summary);
        return Promise.resolve();
      },
      onUnreadable: () => undefined,
    });
    running.push(consumer1);
    await consumer1.start();
    await until(() => first.length === 42 && stuckAt !== undefined, 'everything but Account-S from v3');
    const stuck = stuckAt!;
    await until(
      () =>
        consumer1
          .stats()
          .partitions.some((p) => p.partition === stuck.partition && p.committed === BigInt(stuck.position)),
      'the low-water mark committed',
    );
    const committedAtStop = consumer1.stats().partitions.map((p) => [p.partition, p.committed]);
    await consumer1.stop();

    const second: ReceivedSummary<Balance>[] = [];
    const consumer2 = createSummaryConsumer({
      config: config(),
      groupId,
      contract: balanceContract(topic),
      ...fast,
      lastSeen: {
        get: (key) => lastSeen.get(key),
        set: (key, version) => lastSeen.set(key, version),
      },
      handle: async (summary) => {
        second.push(summary);
      },
      onUnreadable: () => undefined,
    });
    running.push(consumer2);
    await consumer2.start();
    try {
      await until(() => second.length === 3, 'the rest of Account-S');
      expect(second.map((s) => Number(s.envelope.version))).toEqual([3, 4, 5]);
      expect(second.every((s) => s.envelope.stream === 'Account-S')).toBe(true);
      await until(
        () => consumer2.stats().partitions.some((p) => p.partition === stuck.partition && p.inFlight === 0),
        'settled',
      );
      const stats = consumer2.stats();
      // everything it read again lies at or past the offset consumer 1 committed, in that partition only
      const readAgain = stats.summaries.handled + stats.summaries.stale;
      const pastStuck = messagesAfter(stuck.position);
      expect(readAgain).toBe(pastStuck);
      expect(committedAtStop).toContainEqual([stuck.partition, BigInt(stuck.position)]);
    } finally {
      await consumer2.stop();
      await producer.close();
    }

    function messagesAfter(position: string): number {
      // the partition's messages from the stuck one on, as consumer 1 saw them
      const inPartition = first.filter((s) => s.source.partition === stuck.partition);
      return inPartition.filter((s) => BigInt(s.source.position) > BigInt(position)).length + 3;
    }
  });

  it('two consumers of one group keep every stream in order, each version handled once, through a rebalance', async () => {
    const topic = uniqueName('rebalance');
    const groupId = uniqueName('g');
    const producer = await startProducer(config());
    const streams = Array.from({ length: 24 }, (_, i) => `Account-${i}`);
    const lastSeen = createInMemoryLastSeenVersions();
    const handled = new Map<string, number[]>();
    const inFlight = new Set<string>();
    const overlaps: string[] = [];
    const consumerFor = (label: string) =>
      createSummaryConsumer({
        config: config(),
        groupId,
        contract: balanceContract(topic),
        ...fast,
        name: label,
        lastSeen,
        handle: async (summary) => {
          const { stream } = summary.envelope;
          if (inFlight.has(stream)) overlaps.push(`${stream}@${summary.envelope.version}`);
          inFlight.add(stream);
          await new Promise((resolve) => setTimeout(resolve, 2));
          handled.set(stream, [...(handled.get(stream) ?? []), Number(summary.envelope.version)]);
          inFlight.delete(stream);
        },
        onUnreadable: () => undefined,
      });
    const publish = async (from: number, to: number) => {
      const messages = [];
      for (let version = from; version <= to; version++)
        for (const stream of streams) messages.push(summaryMessage(stream, version));
      await producer.send(topic, messages);
    };
    const total = () => [...handled.values()].reduce((sum, versions) => sum + versions.length, 0);
    const consumer1 = consumerFor('one');
    const consumer2 = consumerFor('two');
    running.push(consumer1, consumer2);
    try {
      await publish(1, 10);
      await consumer1.start();
      await until(() => total() >= 100, 'consumer one under way');
      await consumer2.start();
      await publish(11, 20);
      await until(() => consumer2.stats().partitions.length > 0, 'consumer two assigned', 40_000);
      await publish(21, 30);
      await until(() => total() >= streams.length * 30, 'every summary', 60_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const stream of streams)
        expect(handled.get(stream), stream).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(overlaps).toEqual([]);
      expect(consumer1.stats().partitions.length + consumer2.stats().partitions.length).toBe(4);
    } finally {
      await consumer2.stop();
      await consumer1.stop();
      await producer.close();
    }
  }, 120_000);
});

describe.skipIf(skipKafka)('a summary consumer killed mid-batch', () => {
  let kafka: TestKafka;
  beforeAll(async () => {
    kafka = await startTestKafka();
  });
  afterAll(async () => {
    await kafka?.stop();
  });

  it('loses nothing, and its successor re-handles only what lay past the offsets it had committed', async () => {
    const topic = uniqueName('killed');
    const groupId = uniqueName('g');
    const base = quickKafka(kafka.brokers);
    const config = { ...base, consumer: { ...base.consumer, heartbeatInterval: 300, sessionTimeout: 6_000 } };
    const producer = await startProducer(config);
    const messages = [];
    for (let version = 1; version <= 40; version++)
      for (let s = 0; s < 20; s++) messages.push(summaryMessage(`Account-${s}`, version));
    await producer.send(topic, messages);
    await producer.close();

    const child = fork(childScript, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BROKERS: kafka.brokers.join(','), TOPIC: topic, GROUP: groupId },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    const handledByChild = new Set<string>();
    const committedByChild = new Map<string, bigint>();
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [what, partition, offset] = line.split(' ');
        if (what === 'handled') handledByChild.add(`${partition}@${offset}`);
        if (what === 'committed') committedByChild.set(partition!, BigInt(offset!));
      }
    });
    await until(() => handledByChild.size >= 300 && committedByChild.size > 0, 'the child under way', 60_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(handledByChild.size).toBeLessThan(800);

    const handledAfter: ReceivedSummary['source'][] = [];
    const successor = createSummaryConsumer({
      config,
      groupId,
      contract: balanceContract(topic),
      commitIntervalMs: 100,
      handle: async (summary) => {
        handledAfter.push(summary.source);
      },
      onUnreadable: () => undefined,
    });
    await successor.start();
    try {
      const all = new Set<string>();
      await until(
        () => {
          for (const source of handledAfter) all.add(`${source.partition}@${source.position}`);
          for (const key of handledByChild) all.add(key);
          return all.size === 800;
        },
        'every summary handled by one or the other',
        60_000,
      );
      for (const [partition, committed] of committedByChild) {
        const reread = handledAfter.filter((s) => s.partition === partition).map((s) => BigInt(s.position));
        // the successor starts at or after what the child had committed: nothing below it is handled again
        expect(
          reread.every((offset) => offset >= committed),
          `partition ${partition}`,
        ).toBe(true);
      }
      const rehandled = handledAfter.filter((s) => handledByChild.has(`${s.partition}@${s.position}`)).length;
      const pastCommitted = [...handledByChild].filter((key) => {
        const [partition, offset] = key.split('@');
        return BigInt(offset!) >= (committedByChild.get(partition!) ?? 0n);
      }).length;
      expect(rehandled).toBeLessThanOrEqual(pastCommitted);
    } finally {
      await successor.stop();
    }
  }, 150_000);
});
