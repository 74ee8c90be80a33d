import type { TimelineEvent } from '../core/index.ts';
import type { Fold } from '../decider/index.ts';
import { fold } from '../decider/index.ts';
import type { TipPosition } from './calving.ts';
import { type CommandWindow, commandsUnfoldType, emptyCommandWindow, readCommands } from './commands.ts';
import type { BatchDocument, TipDocument, UnfoldDocument } from './documents.ts';
import { MissingEvents } from './errors.ts';
import { eventsOf, timelineUnfold } from './span.ts';

/** What the store knows about a stream after loading it: the folded state and what the next append needs. */
export interface StreamState<S> {
  readonly state: S;
  /** the stream's version: the number of events appended so far (the tip's `n`) */
  readonly version: bigint;
  /** the tip's etag; `undefined` when the stream has no tip yet */
  readonly etag: string | undefined;
  /** the tip's events, carried into the next append's tip */
  readonly tip: TipPosition | undefined;
  /** command ids recently applied (see commands.ts) */
  readonly commands: CommandWindow;
}

export function emptyStream<S>(initial: S): StreamState<S> {
  return { state: initial, version: 0n, etag: undefined, tip: undefined, commands: emptyCommandWindow };
}

interface Item<E> {
  readonly index: bigint;
  readonly event: E;
}

export interface Rebuild<E, S> {
  readonly fold: Fold<E, S>;
  readonly isOrigin: (event: E) => boolean;
  /** decodes a stored event; `undefined` when the codec skipped it */
  readonly decode: (event: TimelineEvent) => E | undefined;
  /**
   * decodes an unfold of `tip`; `undefined` for unfold types this reader does not declare (unfolds are derived data
   * that other writers, or other versions of this one, may add: ignoring one loses no event), and for unfolds it
   * ignores because they no longer decode (see unfolds.ts)
   */
  readonly decodeUnfold: (unfold: UnfoldDocument, tip: TipDocument) => E | undefined;
  /** batches before version `before`, newest first */
  readonly batchesBefore: (before: number) => AsyncIterable<BatchDocument>;
}

function decodeAll<E>(events: readonly TimelineEvent[], decode: (event: TimelineEvent) => E | undefined): Item<E>[] {
  const items: Item<E>[] = [];
  for (const stored of events) {
    const event = decode(stored);
    if (event !== undefined) items.push({ index: stored.index, event });
  }
  return items;
}

function lastOrigin<E>(items: readonly Item<E>[], isOrigin: (event: E) => boolean): number {
  for (let at = items.length - 1; at >= 0; at--) if (isOrigin((items[at] as Item<E>).event)) return at;
  return -1;
}

const eventsFrom = <E>(items: readonly Item<E>[], at: number) => items.slice(at).map((item) => item.event);

/**
 * Rebuilds a stream's state from its tip (read by the caller), trying in order:
 * 1. the newest origin among the tip's events and unfolds (an unfold at version i sorts after the events before i):
 *    fold from it, no further reads;
 * 2. `known` (a cached state) when the tip still holds every event after it: fold those onto it;
 * 3. a tip that starts at version 0: fold its events from `initial`;
 * 4. otherwise read batches backwards (`batchesBefore`) until an origin or the stream's start, checking that they
 *    tile the stream without gaps (`MissingEvents`), then fold forwards.
 * The command ids kept in the tip's `$commands` unfold come back with the state.
 * @throws MissingEvents when a batch is missing; the codec's errors for an event or unfold that does not decode
 */
export async function rebuildFromTip<E, S>(
  stream: string,
  tip: TipDocument,
  etag: string,
  rebuild: Rebuild<E, S>,
  known?: { readonly version: bigint; readonly state: S },
): Promise<StreamState<S>> {
  const { fold: model, isOrigin, decode } = rebuild;
  const commandsUnfold = tip.u.find((unfold) => unfold.c === commandsUnfoldType);
  const commands = commandsUnfold ? readCommands(timelineUnfold(commandsUnfold, tip).data) : emptyCommandWindow;
  const tipEvents = decodeAll(eventsOf(tip), decode);
  const unfolds: Item<E>[] = [];
  for (const unfold of tip.u) {
    if (unfold.c === commandsUnfoldType) continue;
    const event = rebuild.decodeUnfold(unfold, tip);
    if (event !== undefined) unfolds.push({ index: BigInt(unfold.i), event });
  }
  // An unfold taken at version i reflects every event before i, so it sorts after the events with index < i;
  // at equal index, unfolds go after events (as Equinox orders them).
  const items = [...tipEvents, ...unfolds].sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
  const version = BigInt(tip.n);
  const done = (state: S): StreamState<S> => ({
    state,
    version,
    etag,
    tip: { i: tip.i, n: tip.n, e: tip.e },
    commands,
  });

  const origin = lastOrigin(items, isOrigin);
  if (origin >= 0) return done(fold(model.evolve, model.initial, eventsFrom(items, origin)));
  if (known !== undefined && known.version >= BigInt(tip.i) && known.version <= version) {
    return done(
      fold(
        model.evolve,
        known.state,
        tipEvents.filter((item) => item.index >= known.version).map((item) => item.event),
      ),
    );
  }
  if (tip.i === 0)
    return done(
      fold(
        model.evolve,
        model.initial,
        tipEvents.map((item) => item.event),
      ),
    );

  // Walk back through the batches; `chunks` holds, newest first, the events after the batch being looked at.
  const chunks: E[][] = [tipEvents.map((item) => item.event)];
  const later = () => chunks.toReversed().flat();
  let expectedNext = tip.i;
  for await (const batch of rebuild.batchesBefore(tip.i)) {
    if (batch.n !== expectedNext) throw new MissingEvents(stream, BigInt(batch.n), BigInt(expectedNext));
    const items = decodeAll(eventsOf(batch), decode);
    if (known !== undefined && known.version >= BigInt(batch.i) && known.version <= BigInt(batch.n)) {
      const after = items.filter((item) => item.index >= known.version).map((item) => item.event);
      return done(fold(model.evolve, known.state, [...after, ...later()]));
    }
    const found = lastOrigin(items, isOrigin);
    if (found >= 0) return done(fold(model.evolve, model.initial, [...eventsFrom(items, found), ...later()]));
    chunks.push(items.map((item) => item.event));
    expectedNext = batch.i;
    if (expectedNext === 0) break;
  }
  if (expectedNext !== 0) throw new MissingEvents(stream, 0n, BigInt(expectedNext));
  return done(fold(model.evolve, model.initial, later()));
}
