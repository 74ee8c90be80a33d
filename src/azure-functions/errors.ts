import { TributaryError } from '../core/index.ts';

/** Some streams of a Cosmos DB trigger's batch failed; throwing it makes the Functions host retry the batch. */
export class TriggerBatchFailed extends TributaryError {
  readonly code = 'TriggerBatchFailed';
  constructor(
    readonly handler: string,
    readonly failures: readonly { readonly stream: string; readonly error: unknown }[],
  ) {
    const listed = failures
      .slice(0, 5)
      .map(({ stream, error }) => `${stream}: ${error instanceof Error ? error.message : String(error)}`)
      .join('; ');
    const more = failures.length > 5 ? ` and ${failures.length - 5} more` : '';
    super(
      `${handler} failed on ${failures.length} stream(s) of the batch (${listed}${more}). The host retries the batch ` +
        "under the function's retry policy; streams already handled are skipped on redelivery.",
      { cause: failures[0]?.error },
    );
  }
}

/**
 * The handler answered `notYet` for a stream of a trigger batch. The trigger cannot hold one stream back on its own
 * (the host checkpoints the whole batch), so the stream fails the batch and the host redelivers it.
 */
export class StreamNotYetHandled extends TributaryError {
  readonly code = 'StreamNotYetHandled';
  constructor(
    readonly stream: string,
    readonly reason: string,
  ) {
    super(`not yet: ${reason} (stream ${stream}; the batch is redelivered under the function's retry policy)`);
  }
}

/** The handler reported a `nextIndex` short of the span it was given: the rest of the span would be lost. */
export class SpanNotFinished extends TributaryError {
  readonly code = 'SpanNotFinished';
  constructor(
    readonly stream: string,
    readonly nextIndex: bigint,
    readonly end: bigint,
  ) {
    super(
      `The handler of stream ${stream} stopped at version ${nextIndex}, before the span's end ${end}. A trigger ` +
        'handler must handle the whole span (or throw, or answer notYet).',
    );
  }
}

/**
 * More streams than the trigger remembers (`rememberedStreams`) wait for a gap in this process; the oldest one's
 * held events were dropped (they come again with the stream's next tip).
 */
export class TooManyStreamsAtGaps extends TributaryError {
  readonly code = 'TooManyStreamsAtGaps';
  constructor(
    readonly capacity: number,
    readonly dropped: string,
  ) {
    super(
      `More than ${capacity} streams wait for a gap; the held events of ${dropped} were dropped. Raise ` +
        'rememberedStreams, or look for the writer whose documents arrive out of order.',
    );
  }
}
