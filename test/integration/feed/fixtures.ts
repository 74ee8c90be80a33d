import type { Container, Database } from '@azure/cosmos';
import type { FeedPage, FeedSink } from '../../../src/feed/index.ts';
import type { TestCosmos } from '../../support/cosmos.ts';

/** The events container (`/p`, like the store's) and the leases container (`/id`) in a fresh database. */
export async function feedContainers(
  cosmos: TestCosmos,
): Promise<{ database: Database; events: Container; leases: Container }> {
  const database = await cosmos.database('feed');
  const { container: events } = await database.containers.create({ id: 'events', partitionKey: { paths: ['/p'] } });
  const { container: leases } = await database.containers.create({ id: 'leases', partitionKey: { paths: ['/id'] } });
  return { database, events, leases };
}

/**
 * Appends to streams the way the store lays them out (Equinox-shaped): each append writes an immutable batch
 * document `{ id: String(i), p, i, n, e }` and moves the tip (`id "-1"`, no events in it) to `n`, in one
 * transactional batch. `next` remembers each stream's version.
 */
export function createWriter(events: Container) {
  const next = new Map<string, number>();
  return {
    next,
    async append(stream: string, count: number): Promise<void> {
      const i = next.get(stream) ?? 0;
      const n = i + count;
      const e = Array.from({ length: count }, (_, k) => ({
        t: new Date().toISOString(),
        c: 'Happened',
        d: { k: i + k },
      }));
      const response = await events.items.batch(
        [
          { operationType: 'Create', resourceBody: { id: String(i), p: stream, i, n, e } },
          { operationType: 'Upsert', resourceBody: { id: '-1', p: stream, i: n, n, e: [], u: [] } },
        ],
        stream,
      );
      const failed = response.result?.find((op) => op.statusCode >= 400);
      if (failed !== undefined) throw new Error(`append to ${stream} failed with ${failed.statusCode}`);
      next.set(stream, n);
    },
    /** appends `rounds` times `eventsPerAppend` events to every stream */
    async appendToAll(streams: readonly string[], rounds: number, eventsPerAppend = 2): Promise<void> {
      for (let round = 0; round < rounds; round += 1) {
        await Promise.all(streams.map((stream) => this.append(stream, eventsPerAppend)));
      }
    },
  };
}

export const streamNames = (count: number, category = 'Account') =>
  Array.from({ length: count }, (_, k) => `${category}-${k}`);

/** The versions of events a document carries: a batch `{ p, i, e }`; the tip holds none here. */
export function eventsOf(document: Record<string, unknown>): Array<{ stream: string; version: number }> {
  const { p, i, e } = document;
  if (typeof p !== 'string' || typeof i !== 'number' || !Array.isArray(e)) return [];
  return e.map((_, k) => ({ stream: p, version: i + k }));
}

/**
 * An idempotent projection shared by every instance of a test (like a view that stores its version): an event
 * at the stream's position advances it, one below is a duplicate (re-delivery), one above is a gap — an event
 * skipped or handled out of order, which must never happen.
 */
export function createLedger() {
  const positions = new Map<string, number>();
  const gaps: string[] = [];
  let duplicates = 0;
  let handled = 0;
  return {
    positions,
    gaps,
    stats: () => ({ handled, duplicates }),
    apply(stream: string, version: number) {
      const position = positions.get(stream) ?? 0;
      if (version < position) duplicates += 1;
      else if (version === position) {
        positions.set(stream, position + 1);
        handled += 1;
      } else gaps.push(`${stream}: got version ${version} while at ${position}`);
    },
    caughtUpWith(expected: ReadonlyMap<string, number>): boolean {
      for (const [stream, n] of expected) if ((positions.get(stream) ?? 0) < n) return false;
      return true;
    },
  };
}
export type Ledger = ReturnType<typeof createLedger>;

/**
 * A FeedSink that handles each lease's pages in order (one chain per lease), a little asynchronously so that pages
 * are in flight while the processor reads on, and applies their events to the ledger.
 */
export function createLedgerSink(
  ledger: Ledger,
  options: { handleDelayMs?: number } = {},
): FeedSink & { pages: number } {
  const chains = new Map<string, Promise<void>>();
  const revoked = new Map<string, number>();
  const sink = {
    pages: 0,
    async ingest(page: FeedPage) {
      sink.pages += 1;
      const generation = revoked.get(page.leaseToken) ?? 0;
      const handled = (chains.get(page.leaseToken) ?? Promise.resolve()).then(async () => {
        await new Promise((resolve) => setTimeout(resolve, options.handleDelayMs ?? 1));
        if ((revoked.get(page.leaseToken) ?? 0) !== generation) return;
        for (const document of page.documents) {
          for (const { stream, version } of eventsOf(document)) ledger.apply(stream, version);
        }
      });
      chains.set(page.leaseToken, handled);
      return { handled };
    },
    revoke(leaseToken: string) {
      revoked.set(leaseToken, (revoked.get(leaseToken) ?? 0) + 1);
    },
  };
  return sink;
}

/** Polls `condition` until it holds (never a fixed sleep before an assertion); fails with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

/** Short lease timings so that tests see acquisition, expiry and hand-over in about a second. */
export const fastTimings = {
  leaseTimings: { acquireIntervalMs: 100, renewIntervalMs: 300, expiryMs: 2_000 },
  pollIntervalMs: 50,
  maxPollIntervalMs: 200,
  checkpointIntervalMs: 200,
  maxItemsPerPage: 10,
} as const;
