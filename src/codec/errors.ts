import { TributaryError } from '../core/index.ts';
import { fieldInWords } from './round-trip.ts';

/** An event produced by a decision does not match its zod schema; nothing was written. */
export class InvalidEvent extends TributaryError {
  readonly code = 'InvalidEvent';
  constructor(
    readonly stream: string,
    readonly version: bigint,
    readonly eventType: string,
    readonly problems: string,
  ) {
    super(
      `Event ${JSON.stringify(eventType)} at version ${version} of stream ${stream} was rejected before writing ` +
        `(nothing was written): ${problems}. Fix the decision that produced it, or the event's schema.`,
    );
  }
}

/** A stored event does not match its type's schema nor any upcaster's old shape. */
export class UndecodableEvent extends TributaryError {
  readonly code = 'UndecodableEvent';
  constructor(
    readonly stream: string,
    readonly version: bigint,
    readonly eventType: string,
    readonly problems: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Stored event ${JSON.stringify(eventType)} at version ${version} of stream ${stream} does not match its schema: ` +
        `${problems}. Add an upcaster for this old shape to the codec (codec.upcast(...)), or fix the schema.`,
      options,
    );
  }
}

/** A stored event's type is not declared in the codec and the codec's policy for unknown types is 'error'. */
export class UnknownEventType extends TributaryError {
  readonly code = 'UnknownEventType';
  constructor(
    readonly stream: string,
    readonly version: bigint,
    readonly eventType: string,
    readonly knownTypes: readonly string[],
  ) {
    super(
      `Stored event at version ${version} of stream ${stream} has type ${JSON.stringify(eventType)}, which the codec ` +
        `does not declare (it knows ${knownTypes.map((t) => JSON.stringify(t)).join(', ')}). Declare it, map it with ` +
        `an upcaster, or create the codec with { unknownTypes: { skip: report } } to skip such events with a report.`,
    );
  }
}

/**
 * An event's data would not read back as itself once stored as JSON (a `Date` read back as a string, a bigint, a
 * `Map`…): appending it would poison the stream for every later load, so it is refused before anything is sent.
 */
export class UnstorableEvent extends TributaryError {
  readonly code = 'UnstorableEvent';
  constructor(
    readonly stream: string,
    readonly version: bigint,
    readonly eventType: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(
      `Event ${JSON.stringify(eventType)} at version ${version} of stream ${stream} was refused before writing (nothing ` +
        `was written): its ${fieldInWords(field)} does not survive JSON: ${problem}. Give it a JSON type in the ` +
        'schema (z.iso.datetime() or z.coerce.date() for times, a string for big integers, objects and arrays for ' +
        'maps and sets).',
    );
  }
}
