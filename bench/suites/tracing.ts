import type { Container } from '@azure/cosmos';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { z } from 'zod';
import { defineCodec } from '../../src/codec/index.ts';
import { createCosmosStore, ensureContainers } from '../../src/store/index.ts';
import { callHandlerInSpan } from '../../src/streams/handler-span.ts';
import { startTracing, type Tracing } from '../../src/tracing/index.ts';
import { inSpan } from '../../src/tracing/spans.ts';
import { timeBacklogRun } from '../harness/backlog-run.ts';
import { startBenchCosmos } from '../harness/cosmos.ts';
import { measured, median } from '../harness/result.ts';
import { sideBySide } from '../harness/side-by-side.ts';
import type { BenchContext } from '../harness/suite.ts';

/**
 * What tracing costs: the same feed and transact work with no OpenTelemetry SDK registered (tracing off, the
 * default) and with the SDK recording every span into a batch processor whose exporter drops them (tracing on,
 * without a network in the figure). `*.ratio` = on / off; interleaved rounds, medians.
 */
export async function run(context: BenchContext): Promise<void> {
  noOpCost(context);
  await transactRatio(context);
  await feedRatio(context);
}

/**
 * What the tracing code costs with tracing off: a handler call through `callHandlerInSpan` (the scheduler's path)
 * vs calling the handler directly, and one `inSpan` (transact makes four), in ns per call with no SDK registered.
 */
function noOpCost(context: BenchContext): void {
  const calls = context.quick ? 200_000 : 1_000_000;
  const handle = async () => undefined;
  // ten events of one append, as a traced writer leaves them: the off path still scans them for a parent
  const traceparent = `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`;
  const events = Array.from({ length: 10 }, (_, k) => ({
    index: BigInt(k),
    type: 'Deposited',
    data: {},
    meta: null,
    timestamp: new Date(),
    traceparent,
  }));
  const stream = { stream: 'Account-1', index: 0n, events };
  const time = (work: () => unknown) => {
    const started = performance.now();
    for (let k = 0; k < calls; k++) work();
    return ((performance.now() - started) * 1e6) / calls;
  };
  const rounds = Math.max(context.rounds, 5);
  const traced: number[] = [];
  const direct: number[] = [];
  const spans: number[] = [];
  for (let round = 0; round < rounds; round++) {
    traced.push(time(() => callHandlerInSpan('process bench', 'bench', handle, stream)));
    direct.push(time(() => Promise.resolve(handle())));
    spans.push(time(() => inSpan('transact Account', {}, handle)));
  }
  const overhead = median(traced) - median(direct);
  context.emit(
    measured('tracing.off.handler_call_ns', overhead, 'ns/call', {
      note: `no SDK registered: a handler call on 10 events of one traced append through the scheduler's traced path minus a direct call (${Math.round(median(direct))} ns), medians of ${rounds} rounds of ${calls.toLocaleString('en-US')} calls; one no-op inSpan (transact opens four) costs ${Math.round(median(spans))} ns`,
    }),
  );
}

/** Counts what it is given and sends nothing: the SDK's cost without an exporter's network. */
function droppingExporter(): SpanExporter & { exported: number } {
  const exporter = {
    exported: 0,
    export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]) {
      exporter.exported += spans.length;
      done({ code: 0 });
    },
    shutdown: () => Promise.resolve(),
  };
  return exporter;
}

async function tracingOn(): Promise<{ tracing: Tracing; exporter: ReturnType<typeof droppingExporter> }> {
  const exporter = droppingExporter();
  const tracing = await startTracing({ azureSdk: true, spanProcessors: [new BatchSpanProcessor({ exporter })] });
  return { tracing, exporter };
}

const codec = defineCodec({ Deposited: z.object({ amount: z.number() }) });
const fold = {
  initial: 0,
  evolve: (balance: number, event: { data: { amount: number } }) => balance + event.data.amount,
};

async function transactRatio(context: BenchContext): Promise<void> {
  const streams = 200;
  const commandsPerStream = context.quick ? 2 : 6;
  const total = streams * commandsPerStream;
  const cosmos = await startBenchCosmos({ partitions: 1 });
  let spans = 0;
  try {
    const databaseId = 'bench-tracing-store';
    await ensureContainers(cosmos.client, { databaseId });
    const store = createCosmosStore({ client: cosmos.client, databaseId });
    const account = store.category({ name: 'Account', codec, fold });
    const commands = async (label: string) => {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: streams }, async (_, s) => {
          for (let c = 0; c < commandsPerStream; c++) {
            await account.transact(`${label}-${s}`, () => [{ type: 'Deposited', data: { amount: 1 } }]);
          }
        }),
      );
      return total / ((performance.now() - started) / 1000);
    };
    await commands('warm-up');
    const result = await sideBySide(
      context.rounds,
      async (round) => {
        const { tracing, exporter } = await tracingOn();
        try {
          return await commands(`on-${round}`);
        } finally {
          await tracing.stop();
          spans = exporter.exported;
        }
      },
      (round) => commands(`off-${round}`),
    );
    context.emit(
      measured('tracing.transact.ratio', result.tributary, 'commands/s', {
        baseline: result.baseline,
        note: `${streams} new streams in parallel, ${commandsPerStream} commands each in sequence (load → decide → append); tracing on = SDK registered, every span recorded and batched to an exporter that drops them (${spans} spans in the last round), Azure SDK spans included; off = no SDK; medians of ${context.rounds} interleaved rounds`,
      }),
    );
  } finally {
    await cosmos.close();
  }
}

/** Tips of `streams` streams whose events carry a `traceparent`, as a traced writer leaves them (one writer a stream). */
async function seedTraced(events: Container, streams: number, eventsPerStream: number): Promise<void> {
  const t = new Date().toISOString();
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  let next = 0;
  const worker = async () => {
    for (let s = next++; s < streams; s = next++) {
      const traceparent = `00-${hex(s + 1, 32)}-${hex(s + 1, 16)}-01`;
      const e = Array.from({ length: eventsPerStream }, (_, k) => ({
        t,
        c: 'Deposited',
        d: { amount: k },
        traceparent,
      }));
      await events.items.create({ id: '-1', p: `Seed-${s}`, i: 0, n: eventsPerStream, e, u: [] });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function feedRatio(context: BenchContext): Promise<void> {
  const streams = context.quick ? 500 : 2_000;
  const eventsPerStream = 50;
  const total = streams * eventsPerStream;
  const rounds = Math.max(context.rounds, 7);
  const cosmos = await startBenchCosmos({ partitions: 4 });
  let spans = 0;
  try {
    const databaseId = 'bench-tracing-feed';
    await ensureContainers(cosmos.client, { databaseId });
    const database = cosmos.client.database(databaseId);
    const events = database.container('events');
    const leases = database.container('leases');
    await seedTraced(events, streams, eventsPerStream);
    const feedRun = (label: string) =>
      timeBacklogRun({ name: `tracing-${label}`, events, leases, total, pageSize: 100 });
    await feedRun('warm-up');
    const result = await sideBySide(
      rounds,
      async (round) => {
        const { tracing, exporter } = await tracingOn();
        try {
          return await feedRun(`on-${round}`);
        } finally {
          await tracing.stop();
          spans = exporter.exported;
        }
      },
      (round) => feedRun(`off-${round}`),
    );
    context.emit(
      measured('tracing.feed.ratio', result.tributary, 'events/s', {
        baseline: result.baseline,
        note: `${total.toLocaleString('en-US')} events on ${streams} streams (each event carrying its writer's traceparent), 4 ranges, processor + scheduler from the beginning, pages of 100, no-op handler, local Cosmos server in the benchmark process; on = SDK registered, spans batched to a dropping exporter (${spans} spans in the last round); off = no SDK; medians of ${rounds} interleaved rounds`,
      }),
    );
  } finally {
    await cosmos.close();
  }
}
