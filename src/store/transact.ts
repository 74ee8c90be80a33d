import { setTimeout as delay } from 'node:timers/promises';
import type { AnyEvent } from '../codec/index.ts';
import type { StreamName } from '../core/index.ts';
import { fold } from '../decider/index.ts';
import type { CachedStreams } from './caching.ts';
import { CommandIdExpired, CommandIdReused, lookupCommand } from './commands.ts';
import { MaxResyncsExhausted, StaleExpectedVersion } from './errors.ts';
import type { LoadOption } from './load-option.ts';
import type { CategoryModel, StreamVersion } from './stream-store.ts';
import { inTransactSpan, type TransactSpan } from './transact-span.ts';

export interface TransactOptions {
  /** how fresh the state the decision starts from must be (a conflict always reloads) */
  readonly load?: LoadOption;
  /**
   * An id of the command (e.g. an HTTP request's idempotency key). If the stream already applied a command with
   * this id, nothing is decided or written and the original outcome is returned.
   */
  readonly commandId?: string;
  /**
   * The command's fingerprint (`commandFingerprint(type, body)`), kept with `commandId`: a command id already applied
   * with another fingerprint throws `CommandIdReused`, and nothing is decided or written.
   */
  readonly fingerprint?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** metadata stored with every appended event (`m`) */
  readonly meta?: Record<string, unknown>;
  /**
   * Apply the command only if the stream is at exactly this version (optimistic concurrency across requests, e.g.
   * an HTTP `If-Match`); otherwise throw `StaleExpectedVersion` without deciding again. A cached state that
   * disagrees is first checked with a (conditional) read, so a stale cache never causes a false refusal. A repeated
   * `commandId` is still answered with its original outcome.
   */
  readonly expectedVersion?: bigint;
}

export interface TransactOutcome {
  /** the stream's version after the command */
  readonly version: bigint;
  /** events appended by this call (0 when the decision was empty or the command id was a repeat) */
  readonly appended: number;
  /** true when `commandId` had already been applied and nothing was done */
  readonly duplicate: boolean;
}

/** What a decision may know about the stream besides its state. */
export interface DecisionContext {
  readonly stream: StreamName;
  /** the version the state reflects (a resync decides again with the newer version) */
  readonly version: bigint;
}

export type Decide<S, R, E> = (state: S, context: DecisionContext) => readonly [R, readonly E[]];

export interface TransactSettings {
  /** attempts (first try included) before `MaxResyncsExhausted` */
  readonly maxAttempts: number;
  /** after a conflict, a random wait up to `min(maxMs, baseMs × 2^(attempt-1))` before reloading */
  readonly resyncBackoff: { readonly baseMs: number; readonly maxMs: number };
  /** one transact per stream at a time in this process */
  readonly queueWrites: boolean;
  readonly defaultLoad: LoadOption;
}

/** Runs `write` for a stream after the previous queued write of that stream has settled (or at once when off). */
export function writeQueue(enabled: boolean): <T>(stream: string, write: () => Promise<T>) => Promise<T> {
  const queues = new Map<string, Promise<unknown>>();
  return (stream, write) => {
    if (!enabled) return write();
    const next = (queues.get(stream) ?? Promise.resolve()).then(write);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    queues.set(stream, settled);
    void settled.then(() => {
      if (queues.get(stream) === settled) queues.delete(stream);
    });
    return next;
  };
}

/**
 * The transact loop, written once for every store: load, answer a known command id, check the expected version,
 * decide, sync; on a conflict back off, reload and decide again, up to `maxAttempts`.
 */
export function transactor<E extends AnyEvent, S, L extends StreamVersion<S>>(
  streams: CachedStreams<E, S, L>,
  model: Pick<CategoryModel<E, S>, 'fold' | 'access'>,
  settings: TransactSettings,
): <R>(
  stream: StreamName,
  decide: Decide<S, R, E>,
  options: TransactOptions,
) => Promise<{ result: R; outcome: TransactOutcome }> {
  const { maxAttempts, resyncBackoff: backoff } = settings;
  const queued = writeQueue(settings.queueWrites);

  async function attempt<R>(
    stream: StreamName,
    decide: Decide<S, R, E>,
    options: TransactOptions,
    span: TransactSpan,
  ): Promise<{ result: R; outcome: TransactOutcome }> {
    const { expectedVersion } = options;
    const start = await span.load(() => streams.load(stream, options.load ?? settings.defaultLoad));
    let current = start.loaded;
    // A state from memory may be older than the client's: confirm a disagreement with a (conditional) read first.
    if (expectedVersion !== undefined && current.version !== expectedVersion && !start.read) {
      current = await span.load(() => streams.reload(stream, current));
    }
    for (let attempt = 1; ; attempt++) {
      span.attempt(attempt);
      const known =
        options.commandId === undefined
          ? undefined
          : lookupCommand(current.commands, options.commandId, options.fingerprint);
      if (known?.kind === 'repeat') {
        const { r, v } = known.record;
        return { result: r as R, outcome: { version: BigInt(v), appended: 0, duplicate: true } };
      }
      if (known?.kind === 'reused') throw new CommandIdReused(stream, known.record.id, BigInt(known.record.v));
      if (known?.kind === 'expired') throw new CommandIdExpired(stream, options.commandId as string);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new StaleExpectedVersion(stream, expectedVersion, current.version);
      }
      const state0 = current.state;
      const version0 = current.version;
      const [result, decided] = span.decide(() => decide(state0, { stream, version: version0 }));
      if (decided.length === 0) return { result, outcome: { version: current.version, appended: 0, duplicate: false } };

      const state = fold(model.fold.evolve, current.state, decided);
      const transmuted = model.access.transmute(decided, state);
      const before = current;
      const synced = await span.append(before.version, transmuted.events.length, () =>
        streams.sync(stream, before, { ...transmuted, state, result, context: options }),
      );
      if (synced.kind === 'written') {
        const outcome = { version: synced.loaded.version, appended: transmuted.events.length, duplicate: false };
        return { result, outcome };
      }
      if (expectedVersion === undefined) {
        if (attempt >= maxAttempts) throw new MaxResyncsExhausted(stream, attempt, current.version);
        const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
        if (ceiling > 0) await delay(Math.random() * ceiling);
      }
      // Resync: read again, unconditionally (never joining a load that may predate the conflicting write). With an
      // expected version, the check at the top of the loop then refuses a stream that moved on instead of deciding again.
      const conflicted = current.version;
      span.conflict(conflicted);
      const stale = current;
      current = await span.load(() => streams.reload(stream, { ...stale, etag: undefined }));
      if (expectedVersion !== undefined && current.version === expectedVersion && attempt >= maxAttempts) {
        throw new MaxResyncsExhausted(stream, attempt, conflicted);
      }
    }
  }

  return (stream, decide, options) =>
    queued(stream, () => inTransactSpan(stream, (span) => attempt(stream, decide, options, span)));
}
