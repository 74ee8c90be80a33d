import { fieldInWords } from '../codec/index.ts';
import { InvalidOptions, TributaryError } from '../core/index.ts';

/** Every attempt to write a view lost the race against another writer of the same view. */
export class ViewWriteConflicts extends TributaryError {
  readonly code = 'ViewWriteConflicts';
  constructor(
    readonly projection: string,
    readonly key: string,
    readonly attempts: number,
  ) {
    super(
      `Projection ${projection} could not write view ${key}: ${attempts} attempts in a row found it changed by another ` +
        'writer (ETag mismatch). The scheduler will retry the span; if this persists, fewer streams should share one view.',
    );
  }
}

/** A projection definition (or a call's options) breaks its schema; `problems` lists each broken field. */
export class InvalidProjection extends InvalidOptions {
  override readonly code: string = 'InvalidProjection';
}

/**
 * A view would be larger than a Cosmos DB item may be (2 MB), or Cosmos DB refused it as too large (413). Retrying
 * cannot help (`permanent`): with parking on, the stream is parked at once; without, it holds its checkpoint.
 */
export class ViewTooLarge extends TributaryError {
  readonly code = 'ViewTooLarge';
  readonly permanent = true;
  constructor(
    readonly projection: string,
    readonly key: string,
    readonly bytes: number,
    /** the limit it was checked against; `undefined` when Cosmos DB refused it (413) */
    readonly limit: number | undefined,
    options?: { cause?: unknown },
  ) {
    const over =
      limit === undefined ? 'which Cosmos DB refused as too large (413)' : `over the ${limit}-byte limit of an item`;
    super(
      `Projection ${projection} cannot write view ${key}: it is ${bytes} bytes of JSON, ${over}; nothing was ` +
        'written. Split the view (a viewKey per part) or keep less in it.',
      options,
    );
  }
}

/**
 * Cosmos DB refused a view write as a bad request (400): the same write will be refused again (`permanent`). The
 * message carries Cosmos DB's reason.
 */
export class ViewRejected extends TributaryError {
  readonly code = 'ViewRejected';
  readonly permanent = true;
  constructor(
    readonly projection: string,
    readonly key: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Projection ${projection} cannot write view ${key}: Cosmos DB refused it as a bad request (${reason}). Fix the ` +
        'view (its id, partition key or content) or the views container.',
      options,
    );
  }
}

/**
 * A view `apply` returned would not read back as itself from its JSON (a `Date` read back as a string, a `Map` as
 * `{}`): the next `apply` would get something else than it returned. Refused before writing (`permanent`).
 */
export class UnstorableView extends TributaryError {
  readonly code = 'UnstorableView';
  readonly permanent = true;
  constructor(
    readonly projection: string,
    readonly key: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(
      `Projection ${projection} cannot write view ${key}: its ${fieldInWords(field)} does not survive JSON: ` +
        `${problem}; nothing was written. Keep views to JSON values (ISO strings for times, plain objects for maps).`,
    );
  }
}

/**
 * The views container is partitioned by a path that a view document (or the active-version document) does not hold
 * as a string, number or boolean. Views are written with `id`, `set`, `projection` and `view` at the top level: the
 * container must be partitioned by one of those (`/id` is the default).
 */
export class ViewPartitionKeyMissing extends TributaryError {
  readonly code = 'ViewPartitionKeyMissing';
  constructor(
    readonly container: string,
    readonly path: string,
  ) {
    super(
      `The views container ${container} is partitioned by ${path}, which view documents do not have as a scalar. ` +
        'Partition it by /id (the default), /set or /projection.',
    );
  }
}

/**
 * The change feed answered a read from "now" without its position (the etag), so the head a rebuilt version must
 * reach before readers switch over is unknown; the switch-over check fails and is tried again.
 */
export class FeedHeadUnknown extends TributaryError {
  readonly code = 'FeedHeadUnknown';
  constructor(readonly container: string) {
    super(`The change feed of ${container} answered without a position (etag); the head of the feed is unknown.`);
  }
}
