import type { Container } from '@azure/cosmos';
import type { TimelineEvent } from '../core/index.ts';
import type { AsOf, CosmosStore, StateAsOf } from '../store/index.ts';
import type { StreamPage, StreamStep, StreamView } from './dashboard-model.ts';
import { requestsOf } from './request-count.ts';

/** Streams a prefix search collects at most; past it the page asks for a longer prefix. */
export const streamSearchLimit = 2_000;
export const streamPageSize = 50;

const natural = new Intl.Collator('en', { numeric: true }).compare;

function eventView(event: TimelineEvent): StreamView['events'][number] {
  return {
    index: event.index,
    type: event.type,
    timestamp: event.timestamp.toISOString(),
    data: event.data,
    meta: event.meta ?? null,
    correlationId: event.correlationId ?? null,
    causationId: event.causationId ?? null,
  };
}

/** A stream as the dashboard's stream browser shows it; `state` comes from the app when it knows the category. */
export async function streamView(store: CosmosStore, stream: string, state: unknown): Promise<StreamView> {
  const dump = await store.dumpStream(stream);
  return {
    stream: dump.stream,
    version: dump.version,
    events: dump.events.map(eventView),
    unfolds: dump.unfolds.map((unfold) => ({ type: unfold.type, version: Number(unfold.index), data: unfold.data })),
    state,
  };
}

/**
 * The streams whose names start with `prefix` (every stream for ''), in natural order, one page of `streamPageSize`:
 * a cross-partition query over tips that collects at most `streamSearchLimit` names, so the order is exact whenever
 * the list is complete.
 */
export async function findStreams(events: Container, prefix: string, page: number): Promise<StreamPage> {
  const pages = events.items.query<{ p: string; n: number }>(
    {
      query: 'SELECT c.p, c.n FROM c WHERE c.id = "-1" AND STARTSWITH(c.p, @prefix)',
      parameters: [{ name: '@prefix', value: prefix }],
    },
    { maxItemCount: 500 },
  );
  const found: { p: string; n: number }[] = [];
  let requests = 0;
  let limited = false;
  while (pages.hasMoreResults()) {
    const response = await pages.fetchNext();
    requests += requestsOf(response.diagnostics);
    found.push(...(response.resources ?? []));
    if (found.length > streamSearchLimit) {
      limited = true;
      found.length = streamSearchLimit;
      break;
    }
  }
  found.sort((a, b) => natural(a.p, b.p));
  const start = page * streamPageSize;
  return {
    prefix,
    page,
    pageSize: streamPageSize,
    total: found.length,
    limited,
    streams: found.slice(start, start + streamPageSize).map((tip) => ({ stream: tip.p, version: BigInt(tip.n) })),
    requests,
  };
}

function originText(loaded: StateAsOf<unknown>): string {
  const { origin } = loaded;
  if (origin.kind === 'start') return 'folded from the start';
  if (origin.kind === 'snapshot') return `folded from the ${origin.type} snapshot at version ${origin.version}`;
  return `folded from the ${origin.type} event at version ${origin.version}`;
}

/**
 * A stream after a version (or as it stood at a time) and just before the last event it reflects (what that event
 * changed), from the app's historical loads; undefined when the app cannot fold the stream.
 */
export async function streamStep(
  stateAsOf: ((stream: string, asOf: AsOf) => Promise<StateAsOf<unknown> | undefined>) | undefined,
  stream: string,
  at: AsOf,
): Promise<StreamStep | undefined> {
  if (stateAsOf === undefined) return undefined;
  const after = await stateAsOf(stream, at);
  if (after === undefined) return undefined;
  const { version } = after;
  const before = version > 0n ? await stateAsOf(stream, { version: version - 1n }) : after;
  return {
    stream,
    version: after.version,
    currentVersion: after.currentVersion,
    event: after.lastEvent === undefined ? undefined : eventView(after.lastEvent),
    state: after.state,
    previous: before?.state,
    origin: originText(after),
    requests: after.requests + (version > 0n ? (before?.requests ?? 0) : 0),
  };
}
