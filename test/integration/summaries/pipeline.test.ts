import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateLag } from '../../../src/feed/index.ts';
import {
  createKafkaSummaryPublisher,
  createSummaryConsumer,
  idempotencyKey,
  type LastSeenVersions,
  type ReceivedSummary,
} from '../../../src/summaries/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { startTestCosmos, type TestCosmos } from '../../support/cosmos.ts';
import { type KafkaProxy, skipKafka, startKafkaProxy, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import {
  accountFold,
  depositRounds,
  foldTimeline,
  type PipelineEnvironment,
  pipelineEnvironment,
  waitUntil,
} from '../projections/fixtures.ts';
import { accountSummaryContract, balancesProjection, quickKafka, startPipeline } from './fixtures.ts';

type AccountSummary = { owner: string; balance: number; transactions: number };

let cosmos: TestCosmos;
let kafka: TestKafka;
let proxy: KafkaProxy;

beforeAll(async () => {
  if (skipKafka) return;
  [cosmos, kafka] = await Promise.all([startTestCosmos(), startTestKafka()]);
  proxy = await startKafkaProxy(kafka.brokers);
});
afterAll(async () => {
  await proxy?.close();
  await Promise.all([cosmos?.close(), kafka?.stop()]);
});

/** Keeps nothing: the test sees every delivery, re-sends included, to check their order and keys itself. */
const rememberNothing: LastSeenVersions = { get: async () => undefined, set: async () => {} };

async function downstream(topic: string, brokers: readonly string[], extra = {}) {
  const received: ReceivedSummary<AccountSummary>[] = [];
  const consumer = createSummaryConsumer({
    config: quickKafka(brokers, extra),
    groupId: `downstream-${randomUUID().slice(0, 8)}`,
    contract: accountSummaryContract(topic),
    lastSeen: rememberNothing,
    handle: async (summary) => {
      received.push(summary);
    },
    onUnreadable: (message) => {
      throw new Error(`unexpected unreadable summary: ${message.problem}`);
    },
  });
  await consumer.start();
  const versionsOf = (stream: string) =>
    received.filter((s) => s.envelope.stream === stream).map((s) => Number(s.envelope.version));
  return { consumer, received, versionsOf };
}

async function finalVersions(env: PipelineEnvironment, ids: readonly string[]): Promise<Map<string, number>> {
  const loaded = await Promise.all(
    ids.map(async (id) => [`Account-${id}`, Number((await env.accounts.load(id)).version)] as const),
  );
  return new Map(loaded);
}

/** Views equal a from-scratch replay of each stream's events. */
async function expectViewsToEqualReplay(env: PipelineEnvironment, ids: readonly string[]): Promise<void> {
  const projection = balancesProjection(env);
  for (const id of ids) {
    const stream = `Account-${id}`;
    const replayed = foldTimeline(accountFold.initial, await env.store.readStream(stream), stream);
    expect(await projection.read(stream)).toEqual(replayed);
  }
}

describe.skipIf(skipKafka)('the read-side pipeline with summaries to Kafka', () => {
  it('carries appended events into views and a downstream consumer group, in version order per stream', async () => {
    const env = await pipelineEnvironment(cosmos);
    const topic = `accounts-${randomUUID().slice(0, 8)}`;
    const ids = ['p1', 'p2', 'p3', 'p4'];
    const [pipeline, { consumer, received, versionsOf }] = await Promise.all([
      startPipeline(env, { topic, brokers: kafka.brokers }),
      downstream(topic, kafka.brokers),
    ]);
    try {
      await depositRounds(env, ids, 5);
      const finals = await finalVersions(env, ids);
      await waitUntil('every stream has its final summary downstream', () =>
        [...finals].every(([stream, version]) => versionsOf(stream).includes(version)),
      );
      for (const [stream, version] of finals) {
        const versions = versionsOf(stream);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
        expect(new Set(versions).size).toBe(versions.length);
        expect(versions.at(-1)).toBe(version);
      }
      const last = received.findLast((s) => s.envelope.stream === 'Account-p1');
      expect(last?.body).toEqual({ owner: 'owner-p1', balance: 15, transactions: 5 });
      expect(last?.envelope.idempotencyKey).toBe(idempotencyKey('Account-p1', 6n, 'AccountSummary', 1));
      await Promise.all(ids.map((id) => waitUntilHandled(pipeline.views.scheduler, `Account-${id}`, 6n)));
      await expectViewsToEqualReplay(env, ids);
    } finally {
      await Promise.all([consumer.stop(), pipeline.stop()]);
    }
  });

  it('survives being killed mid-run: views equal a replay, summaries never go backwards, re-sends keep their key', async () => {
    const env = await pipelineEnvironment(cosmos);
    const topic = `killed-${randomUUID().slice(0, 8)}`;
    const ids = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
    const children: ChildProcess[] = [];
    const [{ consumer, received, versionsOf }] = await Promise.all([
      downstream(topic, kafka.brokers),
      spawnPipeline(cosmos, env.databaseId, topic, kafka.brokers, 60_000).then((child) => children.push(child)),
    ]);
    try {
      // 1. Killed after publishing but before any checkpoint was written: the next instance re-reads the feed from
      //    the beginning and sends every stream's summary again.
      await depositRounds(env, ids, 3);
      const published = await finalVersions(env, ids);
      await waitUntil('the first instance published every stream', () =>
        [...published].every(([stream, version]) => versionsOf(stream).includes(version)),
      );
      children[0]?.kill('SIGKILL');
      children.push(await spawnPipeline(cosmos, env.databaseId, topic, kafka.brokers));
      await waitUntil('the second instance sent every stream again', () =>
        [...published].every(([stream, version]) => versionsOf(stream).filter((v) => v === version).length >= 2),
      );
      // 2. Killed while events are still being appended and summaries published.
      const writing = depositRounds(env, ids, 6, 4);
      await waitUntil('more summaries were published', () => received.length >= 3 * ids.length);
      children[1]?.kill('SIGKILL');
      children.push(await spawnPipeline(cosmos, env.databaseId, topic, kafka.brokers));
      await writing;
      const finals = await finalVersions(env, ids);
      await waitUntil(
        'every stream has its final summary downstream',
        () => [...finals].every(([stream, version]) => versionsOf(stream).includes(version)),
        60_000,
      );
      const projection = balancesProjection(env);
      await waitUntil('every view reached its final version', async () => {
        const documents = await Promise.all([...finals.keys()].map((stream) => projection.readDocument(stream)));
        return documents.every((d) => d && d.versions[d.key] === finals.get(d.key));
      });
      await expectViewsToEqualReplay(env, ids);
      for (const [stream, version] of finals) {
        const versions = versionsOf(stream);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
        expect(versions.at(-1)).toBe(version);
      }
      const byKey = new Map<string, ReceivedSummary<AccountSummary>[]>();
      let resent = 0;
      for (const summary of received) {
        const key = `${summary.envelope.stream}:${summary.envelope.version}`;
        byKey.set(key, [...(byKey.get(key) ?? []), summary]);
      }
      for (const [key, copies] of byKey) {
        const [stream, version] = key.split(':') as [string, string];
        if (copies.length > 1) resent += 1;
        for (const copy of copies) {
          expect(copy.envelope.idempotencyKey).toBe(idempotencyKey(stream, BigInt(version), 'AccountSummary', 1));
          expect(copy.body).toEqual(copies[0]?.body);
        }
      }
      expect(resent).toBeGreaterThanOrEqual(ids.length);
    } finally {
      for (const child of children) child.kill('SIGKILL');
      await consumer.stop();
    }
  });

  it('holds the checkpoint while the brokers are unreachable, then publishes everything once they are back', async () => {
    const env = await pipelineEnvironment(cosmos);
    const topic = `outage-${randomUUID().slice(0, 8)}`;
    const ids = ['o1', 'o2', 'o3'];
    const viaProxy = { socketFactory: proxy.socketFactory };
    const publisher = createKafkaSummaryPublisher({ config: quickKafka(proxy.brokers, viaProxy) });
    const [pipeline, { consumer, versionsOf }] = await Promise.all([
      startPipeline(env, { topic, publisher }),
      downstream(topic, kafka.brokers),
    ]);
    const lag = async () =>
      (await estimateLag({ monitored: env.events, leases: env.leases, name: pipeline.summaries.processorName })).reduce(
        (sum, range) => sum + range.pendingChanges,
        0,
      );
    try {
      await depositRounds(env, ids, 2);
      await Promise.all(ids.map((id) => waitUntilHandled(pipeline.reactor.scheduler, `Account-${id}`, 3n)));
      await waitUntil('the checkpoint caught up', async () => (await lag()) === 0);

      proxy.cut();
      await depositRounds(env, ids, 2, 3);
      const refusedBefore = proxy.refusedWhileCut;
      await waitUntil('the publisher keeps retrying', () => proxy.refusedWhileCut >= refusedBefore + 3);
      await new Promise((resolve) => setTimeout(resolve, 300)); // several checkpoint intervals (100 ms) pass
      expect(await lag()).toBeGreaterThan(0);
      expect(pipeline.reactor.scheduler.stats().handled.spans).toBeGreaterThan(0);
      const during = await Promise.race([
        waitUntilHandled(pipeline.reactor.scheduler, 'Account-o1', 5n).then(() => 'handled'),
        new Promise((resolve) => setTimeout(() => resolve('pending'), 200)),
      ]);
      expect(during).toBe('pending');

      proxy.restore();
      const finals = await finalVersions(env, ids);
      await waitUntil('every stream has its final summary downstream', () =>
        [...finals].every(([stream, version]) => versionsOf(stream).includes(version)),
      );
      await waitUntil('the checkpoint caught up again', async () => (await lag()) === 0);
      for (const [stream] of finals) {
        const versions = versionsOf(stream);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
        expect(versions).toContain(3);
      }
    } finally {
      proxy.restore();
      await Promise.all([consumer.stop(), pipeline.stop()]);
    }
  });
});

const processScript = fileURLToPath(new URL('./pipeline-process.ts', import.meta.url));

async function spawnPipeline(
  cosmos: TestCosmos,
  databaseId: string,
  topic: string,
  brokers: readonly string[],
  checkpointIntervalMs = 100,
) {
  const child = spawn(process.execPath, ['--import', 'tsx', processScript], {
    env: {
      ...process.env,
      COSMOS_TEST_ENDPOINT: cosmos.endpoint,
      COSMOS_TEST_KEY: cosmos.key,
      PIPELINE_DATABASE: databaseId,
      PIPELINE_TOPIC: topic,
      PIPELINE_BROKERS: brokers.join(','),
      PIPELINE_CHECKPOINT_MS: String(checkpointIntervalMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk) => {
    errors += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      if (String(chunk).includes('ready')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`the pipeline process exited with ${code}: ${errors.slice(-2_000)}`)),
    );
  });
  return child;
}
