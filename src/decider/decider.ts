/**
 * A decider is the pure model of one stream: the state before any event, how an event changes the state, and how
 * a command becomes new events given the current state. No I/O: the store loads, decides and appends around it.
 */
export interface Fold<E, S> {
  /** the state of a stream with no events */
  readonly initial: S;
  /** the state after `event`; must not mutate `state` */
  readonly evolve: (state: S, event: E) => S;
}

export interface Decider<C, E, S> extends Fold<E, S> {
  /** the events that carry out `command` in `state` (none when it is already done); throws to reject it */
  readonly decide: (command: C, state: S) => readonly E[];
}

/** A decider whose decision also answers the caller (e.g. the new balance, or an id it allocated). */
export interface ResultDecider<C, E, S, R> extends Fold<E, S> {
  readonly decide: (command: C, state: S) => readonly [result: R, events: readonly E[]];
}

/** Folds `events` onto `state` in order. */
export function fold<E, S>(evolve: (state: S, event: E) => S, state: S, events: Iterable<E>): S {
  let current = state;
  for (const event of events) current = evolve(current, event);
  return current;
}

/** Declares a decider; only a typing aid, it returns its argument. */
export function defineDecider<C, E, S>(decider: Decider<C, E, S>): Decider<C, E, S> {
  return decider;
}

/** Declares a decider whose decisions return a result; only a typing aid, it returns its argument. */
export function defineResultDecider<C, E, S, R>(decider: ResultDecider<C, E, S, R>): ResultDecider<C, E, S, R> {
  return decider;
}
