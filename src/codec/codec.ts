import { z } from 'zod';
import type { TimelineEvent } from '../core/index.ts';
import { InvalidEvent, UndecodableEvent, UnknownEventType, UnstorableEvent } from './errors.ts';
import { roundTripBreak } from './round-trip.ts';

/** Event types of a stream, each declared by the zod schema of its data. */
export type EventSchemas = Record<string, z.ZodType>;

/** The domain event union a set of schemas declares: `{ type: 'Deposited', data: { amount: number } } | …`. */
export type DomainEvent<S extends EventSchemas> = {
  [K in keyof S & string]: { readonly type: K; readonly data: z.output<S[K]> };
}[keyof S & string];

/** The domain event union of a codec. */
export type EventOf<C> = C extends Codec<infer E> ? E : never;

/** The shape every domain event has. */
export interface AnyEvent {
  readonly type: string;
  readonly data: unknown;
}

/** What the codec reports for each stored event it skipped under the `skip` policy. */
export interface SkippedEvent {
  readonly stream: string;
  readonly version: bigint;
  readonly eventType: string;
  readonly reason: 'unknown-type';
}

/**
 * What to do with a stored event whose type the codec does not declare: fail the read (`'error'`, the default), or
 * skip it and tell `skip` (so it is counted and visible, never silently dropped).
 */
export type UnknownTypePolicy = 'error' | { readonly skip: (skipped: SkippedEvent) => void };

/** What the codec reports about a stored unfold that was ignored because it no longer decodes. */
export interface IgnoredUnfold {
  readonly stream: string;
  /** the version the unfold was taken at */
  readonly version: bigint;
  readonly unfoldType: string;
  readonly problems: string;
}

/** Maps one old stored shape (a previous version of a type, or a renamed type) to a current event. */
export interface Upcaster<E> {
  /** the stored event type this upcaster reads */
  readonly storedType: string;
  /** the zod schema of the old shape */
  readonly from: z.ZodType;
  readonly upcast: (old: unknown) => E;
}

/** Encodes domain events to stored bodies and back, validating with zod both ways. */
export interface Codec<E extends AnyEvent> {
  readonly eventTypes: readonly string[];
  /**
   * Validates an event about to be appended at `version` of `stream` and checks that it reads back as itself once
   * stored as JSON (`UnstorableEvent` otherwise); returns the JSON to store.
   */
  encode(event: E, where: { readonly stream: string; readonly version: bigint }): { type: string; data: unknown };
  /**
   * Decodes a stored event (already decompressed), upcasting old shapes. Returns `undefined` only for an event the
   * unknown-type policy skipped (after reporting it).
   */
  decode(event: Pick<TimelineEvent, 'index' | 'type' | 'data'>, stream: string): E | undefined;
  /** A codec that also reads `storedType` events of the `from` shape, converting them with `upcast`. */
  upcast<From extends z.ZodType>(storedType: string, from: From, upcast: (old: z.output<From>) => E): Codec<E>;
  /**
   * Decodes an unfold (a snapshot: derived data, which the events can replace). `undefined` for a type the codec does
   * not declare, and for an unfold that matches neither its schema nor an upcaster (the schema tightened since it was
   * stored): that one is counted in `ignoredUnfoldCount` and reported once per category and unfold type.
   */
  decodeUnfold(unfold: Pick<TimelineEvent, 'index' | 'type' | 'data'>, stream: string): E | undefined;
  /** Events skipped under the `skip` policy since the codec was created. */
  readonly skippedCount: number;
  /**
   * Counts an unfold that was ignored because it cannot be read (its body does not decode) and reports it once per
   * category and unfold type, as `decodeUnfold` does for one that no longer matches its schema.
   */
  ignoreUnfold(ignored: IgnoredUnfold): void;
  /** Unfolds ignored (by `decodeUnfold` or `ignoreUnfold`) because they no longer decode, since the codec was created. */
  readonly ignoredUnfoldCount: number;
}

export interface CodecOptions<E> {
  readonly unknownTypes?: UnknownTypePolicy;
  readonly upcasters?: readonly Upcaster<E>[];
  /**
   * Told the first time, per category and unfold type, that a stored unfold no longer decodes and is ignored (every
   * one is counted in `ignoredUnfoldCount`). Default: a warning on the console.
   */
  readonly onIgnoredUnfold?: (ignored: IgnoredUnfold) => void;
}

function warnIgnoredUnfold(ignored: IgnoredUnfold): void {
  const category = ignored.stream.slice(0, ignored.stream.indexOf('-'));
  console.warn(
    `[tributary codec] Unfold ${JSON.stringify(ignored.unfoldType)} of stream ${ignored.stream} (version ` +
      `${ignored.version}) no longer decodes (${ignored.problems}); it is ignored, the state is folded from ` +
      `events and the next append stores a fresh one. Further such unfolds in category ${category} are only counted ` +
      '(codec.ignoredUnfoldCount). Add an upcaster for the old shape to keep loads at one read.',
  );
}

/** Builds an upcaster for `defineCodec`'s options with `old` typed by the `from` schema. */
export function upcaster<From extends z.ZodType, E>(
  storedType: string,
  from: From,
  upcast: (old: z.output<From>) => E,
): Upcaster<E> {
  return { storedType, from, upcast: (old) => upcast(old as z.output<From>) };
}

function describe(error: z.ZodError): string {
  return z.prettifyError(error).replaceAll('\n', '; ');
}

/**
 * Declares a stream's events, one zod schema per type:
 * `defineCodec({ Deposited: z.object({ amount: z.number().positive() }), Closed: z.object({}) })`.
 */
export function defineCodec<S extends EventSchemas>(
  schemas: S,
  options: CodecOptions<DomainEvent<S>> = {},
): Codec<DomainEvent<S>> {
  type E = DomainEvent<S>;
  const eventTypes = Object.keys(schemas);
  const policy = options.unknownTypes ?? 'error';
  const upcasters = options.upcasters ?? [];
  let skippedCount = 0;
  let ignoredUnfoldCount = 0;
  const reportIgnoredUnfold = options.onIgnoredUnfold ?? warnIgnoredUnfold;
  const reportedUnfolds = new Set<string>();

  const schemaOf = (type: string): z.ZodType | undefined =>
    Object.hasOwn(schemas, type) ? schemas[type as keyof S] : undefined;

  function validateCurrent(event: AnyEvent): z.ZodSafeParseResult<unknown> | undefined {
    return schemaOf(event.type)?.safeParse(event.data);
  }

  const readable = (type: string) => schemaOf(type) !== undefined || upcasters.some((u) => u.storedType === type);

  const codec: Codec<E> = {
    eventTypes,
    get skippedCount() {
      return skippedCount;
    },
    get ignoredUnfoldCount() {
      return ignoredUnfoldCount;
    },

    encode(event, where) {
      const schema = schemaOf(event.type);
      if (schema === undefined) {
        throw new InvalidEvent(where.stream, where.version, event.type, `the codec declares no such event type`);
      }
      const parsed = schema.safeParse(event.data);
      if (!parsed.success) throw new InvalidEvent(where.stream, where.version, event.type, describe(parsed.error));
      const broken = roundTripBreak(parsed.data, (json) => schema.safeParse(json));
      if (broken) throw new UnstorableEvent(where.stream, where.version, event.type, broken.field, broken.problem);
      return { type: event.type, data: parsed.data };
    },

    decode(stored, stream) {
      const current = schemaOf(stored.type);
      const attempt = current?.safeParse(stored.data);
      if (attempt?.success) return { type: stored.type, data: attempt.data } as E;
      for (const candidate of upcasters) {
        if (candidate.storedType !== stored.type) continue;
        const old = candidate.from.safeParse(stored.data);
        if (!old.success) continue;
        let upcast: E;
        try {
          upcast = candidate.upcast(old.data);
        } catch (cause) {
          throw new UndecodableEvent(stream, stored.index, stored.type, `its upcaster threw: ${String(cause)}`, {
            cause,
          });
        }
        const checked = validateCurrent(upcast);
        if (checked?.success) return { type: upcast.type, data: checked.data } as E;
        const problems = checked ? describe(checked.error) : `the upcaster produced undeclared type "${upcast.type}"`;
        throw new UndecodableEvent(stream, stored.index, stored.type, `after upcasting: ${problems}`);
      }
      if (attempt !== undefined) throw new UndecodableEvent(stream, stored.index, stored.type, describe(attempt.error));
      if (upcasters.some((u) => u.storedType === stored.type)) {
        throw new UndecodableEvent(
          stream,
          stored.index,
          stored.type,
          'it matches none of the old shapes upcasters read',
        );
      }
      if (policy === 'error') throw new UnknownEventType(stream, stored.index, stored.type, eventTypes);
      skippedCount += 1;
      policy.skip({ stream, version: stored.index, eventType: stored.type, reason: 'unknown-type' });
      return undefined;
    },

    decodeUnfold(unfold, stream) {
      if (!readable(unfold.type)) return undefined;
      try {
        return codec.decode(unfold, stream);
      } catch (error) {
        if (!(error instanceof UndecodableEvent)) throw error;
        codec.ignoreUnfold({ stream, version: unfold.index, unfoldType: unfold.type, problems: error.problems });
        return undefined;
      }
    },

    ignoreUnfold(ignored) {
      ignoredUnfoldCount += 1;
      const key = `${ignored.stream.slice(0, ignored.stream.indexOf('-'))}\u0000${ignored.unfoldType}`;
      if (reportedUnfolds.has(key)) return;
      reportedUnfolds.add(key);
      reportIgnoredUnfold(ignored);
    },

    upcast(storedType, from, upcast) {
      return defineCodec(schemas, {
        ...options,
        upcasters: [...upcasters, upcaster(storedType, from, upcast)],
      });
    },
  };
  return codec;
}
