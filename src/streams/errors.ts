import { InvalidOptions, TributaryError } from '../core/index.ts';

/** A handler answered `notYet` for longer than the scheduler's `notYet` bounds allow. */
export class HandlerKeptWaiting extends TributaryError {
  readonly code = 'HandlerKeptWaiting';
  constructor(
    readonly stream: string,
    readonly attempts: number,
    readonly reason: string,
  ) {
    super(
      `The handler of stream ${stream} answered notYet ${attempts} times in a row (last reason: ${reason}). ` +
        'Expected the missing prerequisite to arrive within the notYet bounds; check the other stream it depends on.',
    );
  }
}

/** A handler answered `handled` with a `nextIndex` that is not past the start of the span it was given. */
export class HandlerMadeNoProgress extends TributaryError {
  readonly code = 'HandlerMadeNoProgress';
  constructor(
    readonly stream: string,
    readonly index: bigint,
    readonly nextIndex: bigint,
  ) {
    super(
      `The handler of stream ${stream} was given events from version ${index} but answered nextIndex ${nextIndex}. ` +
        'Expected a nextIndex after the first event it was given; answer notYet to be asked again later.',
    );
  }
}

/** `parked.replay(stream)` was asked for a stream that this scheduler has not parked. */
export class StreamNotParked extends TributaryError {
  readonly code = 'StreamNotParked';
  constructor(
    readonly stream: string,
    readonly processor: string,
  ) {
    super(`Stream ${stream} is not parked by ${processor}; parked.list() shows which streams are.`);
  }
}

/** A replayed stream failed again and was parked again, with the error it failed with as the cause. */
export class ReplayFailed extends TributaryError {
  readonly code = 'ReplayFailed';
  constructor(
    readonly stream: string,
    cause: unknown,
  ) {
    super(
      `Replaying parked stream ${stream} failed again and the stream is parked again: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Fix the handler (or the data it needs) and replay again.',
      { cause },
    );
  }
}

/** The scheduler was closed: it accepts no more pages and its pending waits end with this error. */
export class SchedulerClosed extends TributaryError {
  readonly code = 'SchedulerClosed';
  constructor(readonly processor: string) {
    super(`The stream scheduler ${processor} is closed; create a new one to handle more pages.`);
  }
}

/**
 * An error that retrying cannot cure (a summary over the broker's size limit, a rendering that breaks its schema).
 * With parking on, a stream that fails with one is parked at its first occurrence instead of after `afterAttempts`;
 * without parking it holds its range's checkpoint like any failure (retried with backoff, reported as failing) until
 * the handler or the data is fixed. Errors opt in with a `permanent: true` property.
 */
export interface PermanentFailure {
  readonly permanent: true;
}

export function isPermanentFailure(error: unknown): error is PermanentFailure {
  return typeof error === 'object' && error !== null && 'permanent' in error && error.permanent === true;
}

/**
 * A dead letter cannot be stored: one of its events, or the letter without its events, is over the size of a
 * document on its own. The scheduler retries the write (counted in `stats().parkingFailures`) and holds the page.
 */
export class DeadLetterTooLarge extends TributaryError {
  readonly code = 'DeadLetterTooLarge';
  constructor(
    readonly letterId: string,
    what: string,
    readonly bytes: number,
    readonly budgetBytes: number,
  ) {
    super(
      `Dead letter ${letterId}: ${what} is ${bytes} bytes of JSON, over the ${budgetBytes}-byte budget of a document. ` +
        'Expected every event to fit a Cosmos DB document with room to spare; replay or remove the parked stream.',
    );
  }
}

/** `createStreamScheduler` was given options it cannot run with; `problems` lists each broken option. */
export class InvalidSchedulerOptions extends InvalidOptions {
  override readonly code = 'InvalidSchedulerOptions';
}
