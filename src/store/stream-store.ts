import type { AnyEvent, Codec } from '../codec/index.ts';
import type { StreamName } from '../core/index.ts';
import type { Fold } from '../decider/index.ts';
import type { Access, AccessStrategy } from './access.ts';
import type { AppendContext } from './append.ts';
import type { AsOf, StateAsOf } from './as-of.ts';
import type { CommandWindow, CommandWindowLimits } from './commands.ts';
import type { ReadRange } from './reading.ts';

/**
 * The seam between a category and the store under it (after equinox-js's `ICategory`): a store loads a stream and
 * syncs an append at the version it loaded; the transact loop (transact.ts) and the cache (caching.ts) are written
 * once against it. The Cosmos DB store (cosmos-streams.ts) and the in-memory store of the `/testing` facet implement it.
 */

/** A stream as a store loaded it: what a decision starts from and what the next append is checked against. */
export interface StreamVersion<S> {
  readonly state: S;
  /** the number of events appended so far */
  readonly version: bigint;
  /** the store's concurrency token (Cosmos DB: the tip's etag); `undefined` while the stream does not exist */
  readonly etag: string | undefined;
  /** command ids recently applied (see commands.ts) */
  readonly commands: CommandWindow;
}

/** A decided append, for the store to write at the version it was decided on. */
export interface ProposedAppend<E, S> {
  /** the events to store (after the access strategy's transmute) */
  readonly events: readonly E[];
  /** the unfolds (snapshots) to keep with the stream, replacing the previous ones */
  readonly unfolds: readonly E[];
  /** the state after the decided events */
  readonly state: S;
  /** the decision's result, remembered with the command id */
  readonly result: unknown;
  /** command id, fingerprint, correlation, causation and metadata of the append */
  readonly context: AppendContext;
}

/** What a sync did: wrote the append (and the stream as it now is), or wrote nothing because the stream moved on. */
export type SyncResult<L> = { readonly kind: 'written'; readonly loaded: L } | { readonly kind: 'conflict' };

/** A stream's decoded event with its version and the time it was stored. */
export interface StoredEvent<E> {
  readonly version: bigint;
  readonly event: E;
  readonly timestamp: Date;
}

/** A store's streams of one category; `L` is what the store keeps of a loaded stream. */
export interface StreamStore<E, S, L extends StreamVersion<S>> {
  /** the state of a stream that does not exist (what `LoadOption.AssumeEmpty` starts from) */
  empty(): L;
  /**
   * Reads `stream`. `known` is a state loaded before: the store may build on it (Cosmos DB: a conditional read of
   * the tip by its etag, folding only newer events) and returns `known` itself when the stream has not changed.
   */
  load(stream: StreamName, known: L | undefined): Promise<L>;
  /**
   * Appends at `current`'s version if the stream is still as loaded (its etag), else writes nothing and reports a
   * conflict. Throws for an append it refuses (an invalid or oversized event) before writing anything.
   */
  sync(stream: StreamName, current: L, append: ProposedAppend<E, S>): Promise<SyncResult<L>>;
  /** The state as it was at a version or time; never cached. */
  loadAsOf(stream: StreamName, asOf: AsOf): Promise<StateAsOf<S>>;
  /** The decoded events of a version range. */
  readEvents(stream: StreamName, range: ReadRange): Promise<StoredEvent<E>[]>;
}

/** What a store is told about a category: how to encode, fold and transmute its events. */
export interface CategoryModel<E extends AnyEvent, S> {
  readonly name: string;
  readonly codec: Codec<E>;
  readonly fold: Fold<E, S>;
  readonly access: Access<E, S>;
  /** the access strategy's kind (how unfolds that no longer decode are treated) */
  readonly strategy: AccessStrategy<E, S>['kind'];
  readonly commandLimits: CommandWindowLimits;
}
