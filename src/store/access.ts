import type { AnyEvent } from '../codec/index.ts';

/** What an append stores: the events to append and the unfolds to keep in the tip. */
export interface Transmuted<E> {
  readonly events: readonly E[];
  readonly unfolds: readonly E[];
}

/** No unfolds: loading folds every event of the stream (tip + all batches). */
export interface Unoptimized {
  readonly kind: 'Unoptimized';
}

/** The latest event alone is the state: it is kept as an unfold, so loading is one point read. */
export interface LatestKnownEvent {
  readonly kind: 'LatestKnownEvent';
}

/** After each append, `toSnapshot(state)` is stored as an unfold; loading is one point read. */
export interface Snapshot<E, S> {
  readonly kind: 'Snapshot';
  readonly isOrigin: (event: E) => boolean;
  readonly toSnapshot: (state: S) => E;
}

/** Like Snapshot with several unfolds (e.g. one per aspect of the state); one of them is the origin. */
export interface MultiSnapshot<E, S> {
  readonly kind: 'MultiSnapshot';
  readonly isOrigin: (event: E) => boolean;
  readonly toSnapshots: (state: S) => readonly E[];
}

/**
 * The state lives only in the tip, as an unfold; decided events are never stored. Writes are still guarded by the
 * tip's etag (the version does not advance). For state that has no history worth keeping.
 */
export interface RollingState<E, S> {
  readonly kind: 'RollingState';
  readonly toSnapshot: (state: S) => E;
}

/** Full control: decide which events are stored and which unfolds the tip keeps. */
export interface Custom<E, S> {
  readonly kind: 'Custom';
  readonly isOrigin: (event: E) => boolean;
  readonly transmute: (events: readonly E[], state: S) => Transmuted<E>;
}

/**
 * How a category trades writes for cheap loads (after Equinox's `AccessStrategy`). Loading always starts with one
 * point read of the tip; an *origin* is an event or unfold from which the state can be folded without looking
 * further back. Without an origin in the tip, loading queries batches backwards until it meets one.
 */
export type AccessStrategy<E extends AnyEvent, S> =
  | Unoptimized
  | LatestKnownEvent
  | Snapshot<E, S>
  | MultiSnapshot<E, S>
  | RollingState<E, S>
  | Custom<E, S>;

/** Builds access strategies; name the event and state types: `AccessStrategy.Snapshot<Event, State>(…)`. */
export const AccessStrategy = {
  Unoptimized: <E extends AnyEvent, S>(): AccessStrategy<E, S> => ({ kind: 'Unoptimized' }),
  LatestKnownEvent: <E extends AnyEvent, S>(): AccessStrategy<E, S> => ({ kind: 'LatestKnownEvent' }),
  Snapshot: <E extends AnyEvent, S>(
    isOrigin: (event: E) => boolean,
    toSnapshot: (state: S) => E,
  ): AccessStrategy<E, S> => ({
    kind: 'Snapshot',
    isOrigin,
    toSnapshot,
  }),
  MultiSnapshot: <E extends AnyEvent, S>(
    isOrigin: (event: E) => boolean,
    toSnapshots: (state: S) => readonly E[],
  ): AccessStrategy<E, S> => ({ kind: 'MultiSnapshot', isOrigin, toSnapshots }),
  RollingState: <E extends AnyEvent, S>(toSnapshot: (state: S) => E): AccessStrategy<E, S> => ({
    kind: 'RollingState',
    toSnapshot,
  }),
  Custom: <E extends AnyEvent, S>(
    isOrigin: (event: E) => boolean,
    transmute: (events: readonly E[], state: S) => Transmuted<E>,
  ): AccessStrategy<E, S> => ({ kind: 'Custom', isOrigin, transmute }),
};

/** The two questions the store asks a strategy. */
export interface Access<E, S> {
  isOrigin(event: E): boolean;
  /** `state` is the state after the decided events */
  transmute(events: readonly E[], state: S): Transmuted<E>;
}

export function accessOf<E extends AnyEvent, S>(strategy: AccessStrategy<E, S>): Access<E, S> {
  switch (strategy.kind) {
    case 'Unoptimized':
      return { isOrigin: () => false, transmute: (events) => ({ events, unfolds: [] }) };
    case 'LatestKnownEvent':
      return { isOrigin: () => true, transmute: (events) => ({ events, unfolds: events.slice(-1) }) };
    case 'Snapshot':
      return {
        isOrigin: strategy.isOrigin,
        transmute: (events, state) => ({ events, unfolds: [strategy.toSnapshot(state)] }),
      };
    case 'MultiSnapshot':
      return {
        isOrigin: strategy.isOrigin,
        transmute: (events, state) => ({ events, unfolds: strategy.toSnapshots(state) }),
      };
    case 'RollingState':
      return { isOrigin: () => true, transmute: (_, state) => ({ events: [], unfolds: [strategy.toSnapshot(state)] }) };
    case 'Custom':
      return { isOrigin: strategy.isOrigin, transmute: strategy.transmute };
  }
}
