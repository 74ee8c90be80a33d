import { z } from 'zod';
import { defineCodec, type EventOf } from '../../src/codec/index.ts';
import { AccessStrategy, createCosmosStore, ensureContainers, LoadOption } from '../../src/store/index.ts';
import { createNaiveStore, type NaiveEvent, type NaiveStore } from '../baselines/naive-store.ts';
import { type BenchCosmos, startBenchCosmos } from '../harness/cosmos.ts';
import { atLeast, atMost, measured } from '../harness/result.ts';
import { sideBySide } from '../harness/side-by-side.ts';
import type { BenchContext } from '../harness/suite.ts';

/**
 * The store: requests and documents per append and per load, counted by the local server, against the naive
 * one-document-per-event store; commands/s on 200 streams side by side; and how those costs grow with the work.
 */
const codec = defineCodec({
  Deposited: z.object({ amount: z.number() }),
  Snapshotted: z.object({ balance: z.number(), count: z.number() }),
});
type Event = EventOf<typeof codec>;
interface Account {
  balance: number;
  count: number;
}
const deposit = (amount: number): Event => ({ type: 'Deposited', data: { amount } });
const fold = {
  initial: { balance: 0, count: 0 } as Account,
  evolve: (state: Account, event: Event): Account =>
    event.type === 'Snapshotted' ? event.data : { balance: state.balance + event.data.amount, count: state.count + 1 },
};
const naiveFold = {
  initial: { balance: 0, count: 0 } as Account,
  evolve: (state: Account, event: NaiveEvent): Account => ({
    balance: state.balance + (event.data as { amount: number }).amount,
    count: state.count + 1,
  }),
};
const snapshot = AccessStrategy.Snapshot<Event, Account>(
  (e) => e.type === 'Snapshotted',
  (state) => ({ type: 'Snapshotted', data: state }),
);
const deposits = (n: number, from = 0) => Array.from({ length: n }, (_, k) => deposit(((from + k) % 100) + 1));

function categories(store: ReturnType<typeof createCosmosStore>) {
  return {
    /** the recommended setup: snapshot in the tip, cached state */
    cached: store.category({ name: 'Account', codec, fold, access: snapshot }),
    /** the same streams without a cache: every load reads */
    uncached: store.category({ name: 'Account', codec, fold, access: snapshot, cache: false }),
    /** the same streams, ignoring the snapshot: every load folds all events */
    unoptimized: store.category({
      name: 'Account',
      codec,
      fold,
      access: AccessStrategy.Unoptimized<Event, Account>(),
      cache: false,
    }),
  };
}

export async function run(context: BenchContext): Promise<void> {
  const cosmos = await startBenchCosmos({ partitions: 1 });
  try {
    const databaseId = 'bench-store';
    await ensureContainers(cosmos.client, { databaseId });
    const database = cosmos.client.database(databaseId);
    const store = createCosmosStore({ client: cosmos.client, databaseId });
    const naive = await createNaiveStore(database);
    const account = categories(store);

    await perOperationCosts(context, cosmos, account, naive);
    await transactThroughput(context, account, naive);
    await appendGrowth(context, cosmos, account, naive);
    await loadGrowth(context, cosmos, account, naive);
  } finally {
    await cosmos.close();
  }
}

type Accounts = ReturnType<typeof categories>;

async function seedTributary(account: Accounts, id: string, length: number): Promise<void> {
  for (let at = 0; at < length; at += 100) {
    const n = Math.min(100, length - at);
    await account.cached.transact(id, () => deposits(n, at), { load: LoadOption.AnyCachedValue });
  }
}

async function seedNaive(naive: NaiveStore, stream: string, length: number): Promise<void> {
  for (let at = 0; at < length; at += 100) {
    const n = Math.min(100, length - at);
    await naive.append(stream, at, deposits(n, at));
  }
}

async function perOperationCosts(context: BenchContext, cosmos: BenchCosmos, account: Accounts, naive: NaiveStore) {
  const samples = context.quick ? 20 : 100;

  // Appends to existing streams whose state the process holds (the usual case for a hot stream).
  for (let s = 0; s < samples; s++) await account.cached.transact(`append-${s}`, () => deposits(1));
  const tributaryAppend = await cosmos.cost(async () => {
    for (let s = 0; s < samples; s++) {
      await account.cached.transact(`append-${s}`, () => deposits(1), { load: LoadOption.AnyCachedValue });
    }
  });
  for (let s = 0; s < samples; s++) await naive.append(`Naive-append-${s}`, 0, deposits(1));
  const naiveAppend = await cosmos.cost(async () => {
    for (let s = 0; s < samples; s++) await naive.append(`Naive-append-${s}`, 1, deposits(1));
  });
  const fullTransact = await cosmos.cost(async () => {
    for (let s = 0; s < samples; s++) await account.cached.transact(`append-${s}`, () => deposits(1));
  });
  context.emit(
    measured('store.append.requests', tributaryAppend.cost.requests / samples, 'requests/append', {
      goal: atMost(1),
      baseline: naiveAppend.cost.requests / samples,
      note: `one event appended to an existing stream with its state cached (one transactional batch: tip replace with If-Match); a transact that first revalidates the cache costs ${round2(fullTransact.cost.requests / samples)} requests (304 read + append); the naive store needs a full query load before every append`,
    }),
  );

  // Loads of a 1,000-event stream.
  const length = 1_000;
  const loads = context.quick ? 5 : 20;
  await seedTributary(account, 'long-1000', length);
  await seedNaive(naive, 'Naive-long-1000', length);
  const tributaryLoad = await cosmos.cost(async () => {
    for (let k = 0; k < loads; k++) await account.uncached.load('long-1000');
  });
  const naiveLoad = await cosmos.cost(async () => {
    for (let k = 0; k < loads; k++) await naive.load('Naive-long-1000');
  });
  const check = await account.uncached.load('long-1000');
  if (check.version !== BigInt(length)) throw new Error(`the 1,000-event stream loaded at version ${check.version}`);
  context.emit(
    measured('store.load.requests', tributaryLoad.cost.requests / loads, 'requests/load', {
      goal: atMost(1),
      baseline: naiveLoad.cost.requests / loads,
      note: `uncached load of a ${length}-event stream with a snapshot unfold in the tip (Snapshot access); baseline = naive query of all events`,
    }),
  );
  context.emit(
    measured('store.load.docsRead.ratio', tributaryLoad.cost.documentsRead / loads, 'documents/load', {
      goal: atMost(0.01),
      baseline: naiveLoad.cost.documentsRead / loads,
      note: `documents read per uncached load of a ${length}-event stream; bytes read ${Math.round(tributaryLoad.cost.bytesOut / loads)} vs ${Math.round(naiveLoad.cost.bytesOut / loads)} (naive)`,
    }),
  );

  await account.cached.load('long-1000');
  const cachedLoad = await cosmos.cost(async () => {
    for (let k = 0; k < loads; k++) await account.cached.load('long-1000');
  });
  context.emit(
    measured('store.load.cached.requests', cachedLoad.cost.requests / loads, 'requests/load', {
      goal: atMost(1),
      baseline: naiveLoad.cost.requests / loads,
      note: `load of a cached, unchanged stream: one tip read with If-None-Match answered 304; documents read ${round2(cachedLoad.cost.documentsRead / loads)}, bytes ${Math.round(cachedLoad.cost.bytesOut / loads)}`,
    }),
  );
}

async function transactThroughput(context: BenchContext, account: Accounts, naive: NaiveStore) {
  const streams = 200;
  const commandsPerStream = context.quick ? 2 : 6;
  const history = 100;
  const total = streams * commandsPerStream;
  const rounds = async (prior: number) =>
    sideBySide(
      context.rounds,
      async (round) => {
        const ids = Array.from({ length: streams }, (_, s) => `tx-${prior}-${round}-${s}`);
        if (prior > 0) await inParallel(ids, (id) => seedTributary(account, id, prior));
        const started = performance.now();
        await inParallel(ids, async (id) => {
          for (let c = 0; c < commandsPerStream; c++) {
            await account.cached.transact(id, (state) => (state.balance < 1e9 ? deposits(1) : []));
          }
        });
        return total / ((performance.now() - started) / 1000);
      },
      async (round) => {
        const ids = Array.from({ length: streams }, (_, s) => `Naive-tx-${prior}-${round}-${s}`);
        if (prior > 0) await inParallel(ids, (id) => seedNaive(naive, id, prior));
        const started = performance.now();
        await inParallel(ids, async (id) => {
          for (let c = 0; c < commandsPerStream; c++) {
            await naive.transact(id, naiveFold, (state) => (state.balance < 1e9 ? deposits(1) : []));
          }
        });
        return total / ((performance.now() - started) / 1000);
      },
    );
  const fresh = await rounds(0);
  const established = await rounds(history);
  context.emit(
    measured('store.transact.throughput.ratio', established.tributary, 'commands/s', {
      goal: atLeast(1.5),
      baseline: established.baseline,
      note: `${streams} streams with ${history} events of history each, in parallel, ${commandsPerStream} commands per stream in sequence (load → decide → append); Tributary with Snapshot access and its default cache (each command revalidates with a 304 read), naive = query all events then create; medians of ${context.rounds} interleaved rounds. On brand-new streams (naive's best case): ${Math.round(fresh.tributary)} vs ${Math.round(fresh.baseline)} commands/s, ratio ${round2(fresh.tributary / fresh.baseline)}`,
    }),
  );
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  await Promise.all(items.map(work));
}

async function appendGrowth(context: BenchContext, cosmos: BenchCosmos, account: Accounts, naive: NaiveStore) {
  const rows: (string | number)[][] = [];
  const samples = context.quick ? 5 : 20;
  for (const size of [1, 10, 100]) {
    for (let s = 0; s < samples; s++) await account.cached.transact(`grow-append-${size}-${s}`, () => deposits(1));
    const tributary = await cosmos.cost(async () => {
      for (let s = 0; s < samples; s++) {
        await account.cached.transact(`grow-append-${size}-${s}`, () => deposits(size), {
          load: LoadOption.AnyCachedValue,
        });
      }
    });
    const baseline = await cosmos.cost(async () => {
      for (let s = 0; s < samples; s++) await naive.append(`Naive-grow-append-${size}-${s}`, 0, deposits(size));
    });
    rows.push([
      size,
      round2(tributary.cost.requests / samples),
      round2(tributary.cost.documentsWritten / samples),
      Math.round(tributary.cost.bytesIn / samples),
      round2(baseline.cost.requests / samples),
      round2(baseline.cost.documentsWritten / samples),
      Math.round(baseline.cost.bytesIn / samples),
    ]);
  }
  context.addSeries({
    name: 'store.append.growth',
    title: 'Append cost vs events per append (state cached, no conflict)',
    columns: [
      'events/append',
      'Tributary requests',
      'Tributary docs written',
      'Tributary bytes sent',
      'naive requests',
      'naive docs written',
      'naive bytes sent',
    ],
    rows,
    note: 'Tributary writes the tip (events + snapshot unfold) in one transactional batch, plus a calved batch document when the tip overflows. The naive store writes one document per event (a batch of creates when several).',
  });
}

async function loadGrowth(context: BenchContext, cosmos: BenchCosmos, account: Accounts, naive: NaiveStore) {
  const lengths = context.quick ? [10, 100, 1_000] : [10, 100, 1_000, 10_000, 100_000];
  const rows: (string | number)[][] = [];
  // The local server re-runs a query for every continuation page, so the naive load (a query over every event,
  // 100 per page) costs time quadratic in the stream length there; beyond 10,000 events it is not measured.
  const naiveLimit = 10_000;
  for (const length of lengths) {
    const id = `grow-load-${length}`;
    await seedTributary(account, id, length);
    const snapshotLoad = await cosmos.cost(() => account.uncached.load(id));
    const unoptimizedLoad = await cosmos.cost(() => account.unoptimized.load(id));
    if (snapshotLoad.result.version !== BigInt(length) || unoptimizedLoad.result.version !== BigInt(length)) {
      throw new Error(`stream ${id} loaded at the wrong version`);
    }
    let naiveCells: (string | number)[] = ['not measured', 'not measured', 'not measured'];
    if (length <= naiveLimit) {
      await seedNaive(naive, `Naive-${id}`, length);
      const naiveLoad = await cosmos.cost(() => naive.load(`Naive-${id}`));
      if (naiveLoad.result.version !== length) throw new Error(`naive stream ${id} loaded at the wrong version`);
      naiveCells = [
        naiveLoad.cost.requests,
        naiveLoad.cost.documentsRead,
        Math.round(naiveLoad.cost.bytesOut / Math.max(1, snapshotLoad.cost.bytesOut)),
      ];
    }
    rows.push([
      length,
      snapshotLoad.cost.requests,
      snapshotLoad.cost.documentsRead,
      unoptimizedLoad.cost.requests,
      unoptimizedLoad.cost.documentsRead,
      ...naiveCells,
    ]);
    context.log(`load growth: ${length} events`);
  }
  context.addSeries({
    name: 'store.load.growth',
    title: 'Load cost vs stream length (uncached)',
    columns: [
      'events',
      'Snapshot requests',
      'Snapshot docs read',
      'Unoptimized requests',
      'Unoptimized docs read',
      'naive requests',
      'naive docs read',
      'naive bytes / Snapshot bytes',
    ],
    rows,
    note: 'Snapshot = the state kept as an unfold in the tip (one point read at any length). Unoptimized = no unfolds: the tip plus every calved batch document. Naive = one document per event, all queried (100 per page); not measured beyond 10,000 events because the local server re-runs the query for every page, which makes it quadratic in time there; up to 10,000 its cost grows by one request per 100 events and one document per event.',
  });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
