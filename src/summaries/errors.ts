import { fieldInWords } from '../codec/index.ts';
import { TributaryError } from '../core/index.ts';

/** The Kafka / Event Hubs settings were rejected. The message never repeats a connection string or a secret. */
export class InvalidKafkaConfig extends TributaryError {
  readonly code = 'InvalidKafkaConfig';
}

/**
 * A rendered summary does not match its contract's schema: a bug in `render` / `summarize`, not a transient failure
 * (`permanent`: with parking on, the stream is parked at once).
 */
export class SummaryRejected extends TributaryError {
  readonly code = 'SummaryRejected';
  readonly permanent = true;
  constructor(
    readonly contract: string,
    readonly stream: string,
    readonly issues: readonly string[],
  ) {
    super(
      `Summary ${contract} for stream ${stream} does not match its schema: ${issues.join('; ')}. Fix the reactor's render or summarize function.`,
    );
  }
}

/**
 * A rendered summary matches its schema but would not read back as itself downstream (consumers parse the JSON with
 * the same schema): a `Date` that arrives as a string, a `Map` that arrives as `{}`. A bug in `render` / `summarize` or
 * the contract, not a transient failure (`permanent`: with parking on, the stream is parked at once).
 */
export class UnreadableSummary extends TributaryError {
  readonly code = 'UnreadableSummary';
  readonly permanent = true;
  constructor(
    readonly contract: string,
    readonly stream: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(
      `Summary ${contract} for stream ${stream} would not read back as itself: its ${fieldInWords(field)} does not ` +
        `survive JSON: ${problem}. Give it a JSON type in the contract's schema (z.iso.datetime() or z.coerce.date() ` +
        'for times, z.coerce.bigint() for big integers); nothing was published.',
    );
  }
}

/**
 * A serialized summary is larger than the broker accepts; it is never truncated. Retrying cannot help
 * (`permanent`): with parking on, the stream is parked at once; without, it holds its checkpoint with this error.
 */
export class SummaryTooLarge extends TributaryError {
  readonly code = 'SummaryTooLarge';
  readonly permanent = true;
  constructor(
    readonly contract: string,
    readonly stream: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `Summary ${contract} for stream ${stream} is ${bytes} bytes serialized, over the ${limit}-byte limit ` +
        '(Event Hubs accepts at most 1 MB per message). Render a smaller summary; it is never truncated.',
    );
  }
}

/** The broker did not acknowledge a summary after the client's retries. */
export class SummaryPublishFailed extends TributaryError {
  readonly code = 'SummaryPublishFailed';
  constructor(
    readonly topic: string,
    readonly stream: string,
    reason: string,
  ) {
    super(`Publishing the summary of stream ${stream} to topic ${topic} failed: ${reason}. It will be retried.`);
  }
}
