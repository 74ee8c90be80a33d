import type { Container, CosmosDiagnostics } from '@azure/cosmos';
import type { AnyEvent, Codec } from '../codec/index.ts';
import { type TimelineEvent, TributaryError } from '../core/index.ts';
import { type Fold, fold } from '../decider/index.ts';
import { commandsUnfoldType } from './commands.ts';
import { type BatchDocument, type TipDocument, tipId } from './documents.ts';
import { MissingEvents } from './errors.ts';
import { type PrunedHistory, withPrunedHistory } from './pruned-history.ts';
import { asBatchDocument, eventsOf, timelineUnfold } from './span.ts';

/** A point in a stream's history: after its first `version` events, or as it stood at a time. */
export type AsOf = { readonly version: bigint } | { readonly time: Date };

/** Where a historical load began folding. */
export type AsOfOrigin =
  | { readonly kind: 'start' }
  /** a stored event its category treats as an origin (e.g. a snapshot event), at its version */
  | { readonly kind: 'event'; readonly version: bigint; readonly type: string }
  /** the tip's snapshot (an unfold), taken at the stream's current version */
  | { readonly kind: 'snapshot'; readonly version: bigint; readonly type: string };

/** A stream's state at a point in its history, and what loading it took. */
export interface StateAsOf<S> {
  readonly stream: string;
  readonly state: S;
  /** the stream's version at that point: the number of events the state reflects */
  readonly version: bigint;
  /** the stream's version now */
  readonly currentVersion: bigint;
  /** the last event the state reflects (undefined at version 0) */
  readonly lastEvent: TimelineEvent | undefined;
  readonly origin: AsOfOrigin;
  /** events folded after the origin */
  readonly eventsFolded: number;
  /** Cosmos DB requests made: the tip's point read, then the query of older documents (its plan and each page) */
  readonly requests: number;
}

/** What a historical load needs of a category: the same codec, fold and origin test it loads with. */
export interface AsOfModel<E extends AnyEvent, S> {
  readonly codec: Codec<E>;
  readonly fold: Fold<E, S>;
  /** events (and tip unfolds) from which the state folds without looking further back; default none */
  readonly isOrigin?: (event: E) => boolean;
  /** where events pruned from the container are found (the archive); their reads are not Cosmos DB requests */
  readonly prunedHistory?: PrunedHistory | undefined;
}

export class VersionBeyondStream extends TributaryError {
  readonly code = 'VersionBeyondStream';
  constructor(
    readonly stream: string,
    readonly version: bigint,
    readonly currentVersion: bigint,
  ) {
    super(
      `Stream ${stream} has ${currentVersion} event(s); it never was at version ${version}. ` +
        `Ask for a version from 0 to ${currentVersion}.`,
    );
  }
}

const pageSize = 10;

/** Requests behind one SDK call: the operation's own (retries included) and the metadata it looked up (a query plan). */
function requestsOf(diagnostics: CosmosDiagnostics | undefined): number {
  const statistics = diagnostics?.clientSideRequestStatistics;
  if (statistics === undefined) return 1;
  return Math.max(1, statistics.gatewayStatistics.length) + statistics.metadataDiagnostics.metadataLookups.length;
}

async function readTipCounted(
  container: Container,
  stream: string,
  counter: { requests: number },
): Promise<TipDocument | undefined> {
  const response = await container.item(tipId, stream).read<Record<string, unknown>>();
  counter.requests += requestsOf(response.diagnostics);
  if (response.statusCode === 404 || response.resource === undefined) return undefined;
  const tip = asBatchDocument(response.resource) as TipDocument;
  if (!Array.isArray(tip.u)) tip.u = [];
  return tip;
}

/** Older documents of a stream, newest first, counting each page read. */
async function* documentsBefore(
  container: Container,
  stream: string,
  before: number,
  counter: { requests: number },
): AsyncGenerator<BatchDocument> {
  const pages = container.items.query<Record<string, unknown>>(
    {
      query: 'SELECT * FROM c WHERE c.id != @tip AND c.i < @before ORDER BY c.i DESC',
      parameters: [
        { name: '@tip', value: tipId },
        { name: '@before', value: before },
      ],
    },
    { partitionKey: stream, maxItemCount: pageSize },
  );
  while (pages.hasMoreResults()) {
    const page = await pages.fetchNext();
    counter.requests += requestsOf(page.diagnostics);
    for (const document of page.resources ?? []) yield asBatchDocument(document);
  }
}

/**
 * Loads `stream`'s state as it was after `asOf.version` events, or at `asOf.time` (every event stored at or before
 * it). One point read of the tip; when that point is the stream's current version and the tip holds a snapshot, the
 * state folds from the snapshot alone. Otherwise events are read backwards from that point until an origin event or
 * the stream's start, then folded forwards. Events the codec skips are not folded but still count as versions.
 */
export function loadStateAsOf<E extends AnyEvent, S>(
  container: Container,
  model: AsOfModel<E, S>,
  stream: string,
  asOf: AsOf,
): Promise<StateAsOf<S>> {
  const source: HistorySource = {
    tip: (counter) => readTipCounted(container, stream, counter),
    before: (before, counter) => documentsBefore(container, stream, before, counter),
  };
  return loadStateAsOfFrom(source, model, stream, asOf);
}

/** Where a historical load reads a stream's documents, counting the requests it makes. */
export interface HistorySource {
  tip(counter: { requests: number }): Promise<TipDocument | undefined>;
  /** documents before version `before`, newest first */
  before(before: number, counter: { requests: number }): AsyncIterable<BatchDocument>;
}

/** As `loadStateAsOf`, over any source of a stream's tip and batches. */
export async function loadStateAsOfFrom<E extends AnyEvent, S>(
  source: HistorySource,
  model: AsOfModel<E, S>,
  stream: string,
  asOf: AsOf,
): Promise<StateAsOf<S>> {
  const counter = { requests: 0 };
  const tip = await source.tip(counter);
  const currentVersion = BigInt(tip?.n ?? 0);
  const isOrigin = model.isOrigin ?? (() => false);
  const result = (
    state: S,
    version: bigint,
    lastEvent: TimelineEvent | undefined,
    origin: AsOfOrigin,
    eventsFolded: number,
  ): StateAsOf<S> => ({
    stream,
    state,
    version,
    currentVersion,
    lastEvent,
    origin,
    eventsFolded,
    requests: counter.requests,
  });
  if ('version' in asOf && (asOf.version < 0n || asOf.version > currentVersion)) {
    throw new VersionBeyondStream(stream, asOf.version, currentVersion);
  }
  if (tip === undefined || ('version' in asOf && asOf.version === 0n)) {
    return result(model.fold.initial, 0n, undefined, { kind: 'start' }, 0);
  }

  const tipEvents = eventsOf(tip);
  const newest = tipEvents.at(-1);
  const atHead =
    'version' in asOf
      ? asOf.version === currentVersion
      : newest !== undefined && newest.timestamp.getTime() <= asOf.time.getTime();
  if (atHead) {
    const snapshot = tip.u
      .filter((unfold) => unfold.c !== commandsUnfoldType)
      .map((unfold) => timelineUnfold(unfold, tip))
      .map((unfold) => ({ unfold, event: model.codec.decodeUnfold(unfold, stream) }))
      .find(({ event }) => event !== undefined && isOrigin(event));
    if (snapshot?.event !== undefined) {
      const state = fold(model.fold.evolve, model.fold.initial, [snapshot.event]);
      const origin = { kind: 'snapshot', version: currentVersion, type: snapshot.unfold.type } as const;
      return result(state, currentVersion, newest, origin, 0);
    }
  }

  const belongs = (event: TimelineEvent) =>
    'version' in asOf ? event.index < asOf.version : event.timestamp.getTime() <= asOf.time.getTime();
  // Newest first: the events at or before the point, back to the first origin among them.
  const kept: { stored: TimelineEvent; event: E | undefined }[] = [];
  const reached: { origin: AsOfOrigin } = { origin: { kind: 'start' } };
  const take = (events: readonly TimelineEvent[]): boolean => {
    for (const stored of events.toReversed()) {
      if (!belongs(stored)) continue;
      const event = model.codec.decode(stored, stream);
      kept.push({ stored, event });
      if (event !== undefined && isOrigin(event)) {
        reached.origin = { kind: 'event', version: stored.index, type: stored.type };
        return true;
      }
    }
    return false;
  };
  let found = take(tipEvents);
  // Batches wholly after the version asked for are never read.
  const before = 'version' in asOf && asOf.version < BigInt(tip.i) ? Number(asOf.version) : tip.i;
  let expectedNext = before;
  // The first batch read holds version `before - 1`; each older one ends where the newer one began.
  let first = true;
  if (!found && tip.i > 0) {
    const held = source.before(before, counter);
    for await (const batch of withPrunedHistory(held, stream, before, model.prunedHistory)) {
      const complete = first ? batch.n >= expectedNext : batch.n === expectedNext;
      if (!complete) throw new MissingEvents(stream, BigInt(batch.n), BigInt(expectedNext));
      first = false;
      found = take(eventsOf(batch));
      expectedNext = batch.i;
      if (found || expectedNext === 0) break;
    }
    if (!found && expectedNext !== 0) throw new MissingEvents(stream, 0n, BigInt(expectedNext));
  }
  const forwards = kept.toReversed();
  const decoded = forwards.flatMap(({ event }) => (event === undefined ? [] : [event]));
  const state = fold(model.fold.evolve, model.fold.initial, decoded);
  const lastEvent = forwards.at(-1)?.stored;
  const version = lastEvent === undefined ? 0n : lastEvent.index + 1n;
  const { origin } = reached;
  const folded = origin.kind === 'event' ? decoded.length - 1 : decoded.length;
  return result(state, version, lastEvent, origin, folded);
}
