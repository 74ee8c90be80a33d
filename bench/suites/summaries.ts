import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { StreamName } from '../../src/core/index.ts';
import { createChangeFeedProcessor } from '../../src/feed/index.ts';
import { createCosmosStore, ensureContainers } from '../../src/store/index.ts';
import { createStreamScheduler } from '../../src/streams/index.ts';
import {
  createKafkaSummaryPublisher,
  createSummaryReactor,
  defineSummaryContract,
  encodeSummary,
  envelopeHeaders,
  kafkaConfigFromBrokers,
  type SummaryContract,
  type SummaryEnvelope,
  type SummaryRecord,
} from '../../src/summaries/index.ts';
import { summaryRecord } from '../../src/summaries/summary-record.ts';
import { startTestKafka } from '../../test/support/kafka.ts';
import { type PlainMessage, produceRaw } from '../baselines/raw-kafka.ts';
import { startBenchCosmos } from '../harness/cosmos.ts';
import { withDeadline } from '../harness/deadline.ts';
import { atLeast, measured, median } from '../harness/result.ts';
import { seedStreams } from '../harness/seed.ts';
import { sideBySide } from '../harness/side-by-side.ts';
import type { BenchContext } from '../harness/suite.ts';
import { benchCodec, benchFold } from './bench-domain.ts';

/**
 * `summaries.throughput.ratio`: summaries/s through Tributary's summary publisher (render, zod check, envelope,
 * size check, kafkajs with acks = all and gzip, batching of queued summaries) vs a bare kafkajs producer sending the
 * very same messages (key, value, headers) in batches of the same size, to the librdkafka mock cluster. The whole
 * summary reactor from the change feed (including the Cosmos state loads) is measured too and given in the note.
 */
export async function run(context: BenchContext): Promise<void> {
  // A round takes 0.2–0.5 s (4,000) or 0.5-1 s (10,000), more rounds than elsewhere: at 2,000 a round lasted 0.1 s,
  // and one scheduling hiccup of the shared machine or of the mock cluster's process moved it by a third.
  const streams = context.quick ? 4_000 : 10_000;
  const rounds = Math.max(context.rounds, 9);
  const concurrency = 64;
  const setUp = performance.now();
  const [cosmos, kafka] = await Promise.all([startBenchCosmos({ partitions: 4 }), startTestKafka()]);
  try {
    const databaseId = 'bench-summaries';
    await ensureContainers(cosmos.client, { databaseId });
    const database = cosmos.client.database(databaseId);
    await seedStreams(database.container('events'), { streams, eventsPerStream: 10, category: 'Account' });
    const store = createCosmosStore({ client: cosmos.client, databaseId });
    const accounts = store.category({ name: 'Account', codec: benchCodec, fold: benchFold });
    const contract = defineSummaryContract({
      name: 'AccountBalance',
      version: 1,
      schema: z.object({ balance: z.number(), transactions: z.number() }),
      topic: 'unused',
    });
    const render = (state: { balance: number; count: number }) => ({
      balance: state.balance,
      transactions: state.count,
    });
    const config = kafkaConfigFromBrokers([...kafka.brokers], { log: () => {} });

    // The same messages for the baseline: what the reactor publishes for each stream.
    const messages: PlainMessage[] = [];
    const envelopes: SummaryEnvelope[] = [];
    const loaded: { stream: StreamName; state: { balance: number; count: number }; version: bigint }[] = [];
    const states = await loadAll(streams, (s) => accounts.load(String(s)));
    for (let s = 0; s < streams; s++) {
      const stream = StreamName.parse(`Account-${s}`);
      const { state, version } = states[s]!;
      loaded.push({ stream, state, version });
      const record = summaryRecord(contract, stream, version, render(state), undefined);
      envelopes.push(record.envelope);
      const encoded = encodeSummary(record);
      messages.push({ key: encoded.key, value: encoded.value, headers: encoded.headers });
    }
    context.log(`summaries: ${streams} streams seeded and loaded in ${Math.round(performance.now() - setUp)} ms`);

    /** The whole summary reactor over the backlog, from a fresh processor: summaries/s, start-up included. */
    const reactorFromFeed = async (): Promise<number> => {
      const topic = `reactor-${randomUUID().slice(0, 6)}`;
      const publisher = createKafkaSummaryPublisher({ config });
      await publisher.publish(warmup(contract, topic));
      const reactor = createSummaryReactor({
        contract: { ...contract, topic },
        category: store.category({ name: 'Account', codec: benchCodec, fold: benchFold }),
        render,
        publisher,
      });
      let published = 0;
      let reached: () => void = () => {};
      const all = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const scheduler = createStreamScheduler({
        name: reactor.processorName,
        maxConcurrentStreams: concurrency,
        handle: async (span) => {
          const outcome = await reactor.handle(span);
          if (++published >= streams) reached();
          return outcome;
        },
      });
      const processor = createChangeFeedProcessor({
        name: reactor.processorName,
        monitored: database.container('events'),
        leases: database.container('leases'),
        sink: scheduler,
        startFrom: 'beginning',
      });
      const started = performance.now();
      await processor.start();
      await withDeadline(all, 600_000, 'the summary reactor to publish every stream');
      const rate = streams / ((performance.now() - started) / 1000);
      await processor.stop();
      scheduler.close();
      await publisher.close();
      return rate;
    };

    const cpuPerSummary = { tributary: [] as number[], baseline: [] as number[] };
    const publisherRound = async (round: number | string): Promise<number> => {
      const topic = `publisher-${round}-${randomUUID().slice(0, 6)}`;
      const publisher = createKafkaSummaryPublisher({ config });
      await publisher.publish(warmup(contract, topic));
      // the round's topic in the contract, as a reactor has it (not a copy of each record with the topic replaced)
      const roundContract = { ...contract, topic };
      const started = performance.now();
      const cpu = process.cpuUsage();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let s = next++; s < streams; s = next++) {
            const { stream, state, version } = loaded[s]!;
            await publisher.publish(summaryRecord(roundContract, stream, version, render(state), undefined));
          }
        }),
      );
      const rate = streams / ((performance.now() - started) / 1000);
      const { user, system } = process.cpuUsage(cpu);
      cpuPerSummary.tributary.push((user + system) / streams);
      await publisher.close();
      return rate;
    };
    const rawRound = async (round: number | string): Promise<number> => {
      const topic = `raw-${round}-${randomUUID().slice(0, 6)}`;
      // Built in the clock from the same loaded state as Tributary's side: the render, the JSON body and the
      // envelope headers any producer has to make; what it does not do is Tributary's (the contract's schema
      // check, the size check, queueing and batching).
      const { perSecond, cpuMicros } = await produceRaw(kafka.brokers, topic, messages, concurrency, (k) => {
        const { stream, state } = loaded[k]!;
        return { key: stream, value: JSON.stringify(render(state)), headers: envelopeHeaders(envelopes[k]!) };
      });
      cpuPerSummary.baseline.push(cpuMicros / streams);
      return perSecond;
    };
    // One unmeasured round of each side first, so that neither median carries the JIT's warm-up (the first rounds
    // ran at half speed on both sides).
    await publisherRound('warm-up');
    await rawRound('warm-up');
    cpuPerSummary.tributary.length = 0;
    cpuPerSummary.baseline.length = 0;
    const result = await sideBySide(rounds, publisherRound, rawRound);
    const perSecond = (runs: readonly number[]) => runs.map((rate) => Math.round(rate)).join(' ');
    context.log(`summaries.throughput.ratio rounds (summaries/s): Tributary ${perSecond(result.tributaryRuns)}`);
    context.log(`summaries.throughput.ratio rounds (summaries/s): baseline ${perSecond(result.baselineRuns)}`);
    // Each round's two runs are next to each other in time, so their ratio is not moved by the machine's load
    // drifting between rounds, which moves both medians: a cross-check of the ratio of medians.
    const paired = result.tributaryRuns.map((rate, round) => rate / result.baselineRuns[round]!);
    const pairedText = `paired per-round ratios: median ${median(paired).toFixed(2)}, ${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)}`;
    context.log(`summaries.throughput.ratio ${pairedText}`);
    // CPU time of this process per summary inside the clock: work counted rather than timed, so less moved by the
    // other processes on the machine (the mock cluster's own CPU is not in it, and is the same for both sides).
    const cpuText = `CPU of the benchmark process per summary, medians: Tributary ${median(cpuPerSummary.tributary).toFixed(1)} µs, baseline ${median(cpuPerSummary.baseline).toFixed(1)} µs`;
    context.log(`summaries.throughput.ratio ${cpuText}`);
    const pipeline = await reactorFromFeed();
    context.emit(
      measured('summaries.throughput.ratio', result.tributary, 'summaries/s', {
        goal: atLeast(0.9),
        baseline: result.baseline,
        note: `${streams.toLocaleString('en-US')} summaries (one per stream) to the librdkafka mock cluster (3 brokers); Tributary = the summary publisher (render + zod check, envelope headers, size check, kafkajs with acks all + gzip, one request in flight, queued summaries batched) with ${concurrency} publishes in flight, as the scheduler runs ${concurrency} streams at once; baseline = bare kafkajs producer sending the same messages in batches of ${concurrency}, each built in the clock from the same loaded state (render, JSON body, envelope headers: the serializing any producer does; not the schema check, size check, queueing or batching); both connected beforehand; one warm-up round each, then medians of ${rounds} interleaved rounds (${pairedText}); ${cpuText}. The whole summary reactor from the change feed (feed → scheduler → uncached state load from Cosmos → render → publish), processor start-up included, published ${Math.round(pipeline)} summaries/s`,
      }),
    );
  } finally {
    await Promise.all([cosmos.close(), kafka.stop()]);
  }
}

/** `load(0)` … `load(count - 1)`, 32 at a time, in order. */
async function loadAll<T>(count: number, load: (index: number) => Promise<T>): Promise<T[]> {
  const loaded: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let index = next++; index < count; index = next++) loaded[index] = await load(index);
    }),
  );
  return loaded;
}

/** The first summary on a topic (creates it, learns its leaders), made as every other one is. */
function warmup(contract: SummaryContract<{ balance: number; transactions: number }>, topic: string): SummaryRecord {
  return summaryRecord(
    { ...contract, topic },
    StreamName.parse('Warmup-0'),
    0n,
    { balance: 0, transactions: 0 },
    undefined,
  );
}
