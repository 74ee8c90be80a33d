import { TributaryError } from '../core/index.ts';

/**
 * The stream moved on since it was loaded (the tip's etag changed, or the stream was created concurrently). Raised
 * by an append; `transact` catches it, reloads and decides again, so callers normally see `MaxResyncsExhausted`.
 */
export class WrongExpectedVersion extends TributaryError {
  readonly code = 'WrongExpectedVersion';
  constructor(
    readonly stream: string,
    readonly expectedVersion: bigint,
  ) {
    super(
      `Stream ${stream} is no longer at version ${expectedVersion}: another writer appended first. ` +
        `Reload the stream and decide again.`,
    );
  }
}

/**
 * The caller asked to write only if the stream is at `expectedVersion` (optimistic concurrency across requests, e.g.
 * an HTTP `If-Match`), and it is at `actualVersion`: nothing was decided or written.
 */
export class StaleExpectedVersion extends TributaryError {
  readonly code = 'StaleExpectedVersion';
  constructor(
    readonly stream: string,
    readonly expectedVersion: bigint,
    readonly actualVersion: bigint,
  ) {
    super(
      `Stream ${stream} is at version ${actualVersion}, not the expected ${expectedVersion}: it changed since the ` +
        `caller read it, so the command was not applied. Read the stream again and retry with version ${actualVersion} ` +
        `if the command still makes sense.`,
    );
  }
}

/** Every attempt of a `transact` lost the race against other writers of the same stream. */
export class MaxResyncsExhausted extends TributaryError {
  readonly code = 'MaxResyncsExhausted';
  constructor(
    readonly stream: string,
    readonly attempts: number,
    readonly lastVersion: bigint,
  ) {
    super(
      `Gave up appending to stream ${stream} after ${attempts} attempts: each time, another writer changed it first ` +
        `(last seen at version ${lastVersion}); nothing was written. Retry the command later, raise the category's ` +
        `maxAttempts, or reduce contention on this stream.`,
    );
  }
}

/** One event is larger than a Cosmos DB document may be (2 MB); nothing was written. */
export class EventTooLarge extends TributaryError {
  readonly code = 'EventTooLarge';
  constructor(
    readonly stream: string,
    readonly version: bigint,
    readonly eventType: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `Event ${JSON.stringify(eventType)} at version ${version} of stream ${stream} is ${bytes} bytes of JSON, over the ` +
        `${limit}-byte document limit; nothing was written. Store large payloads elsewhere (e.g. Blob Storage) and ` +
        `keep a reference in the event.`,
    );
  }
}

/** The events (and unfolds) of one append do not fit in one transactional batch request; nothing was written. */
export class AppendTooLarge extends TributaryError {
  readonly code = 'AppendTooLarge';
  constructor(
    readonly stream: string,
    readonly version: bigint,
    readonly eventCount: number,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `Appending ${eventCount} events at version ${version} of stream ${stream} needs a ${bytes}-byte request, over ` +
        `the ${limit}-byte limit of a Cosmos DB transactional batch; nothing was written. Emit fewer or smaller events ` +
        `per decision (split the command), or make snapshots smaller.`,
    );
  }
}

/** A document in the events container has event-store fields (`p`, `i`, `e`) but they are not well formed. */
export class MalformedDocument extends TributaryError {
  readonly code = 'MalformedDocument';
  constructor(
    readonly documentId: string,
    readonly stream: string | undefined,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Document ${JSON.stringify(documentId)}${stream === undefined ? '' : ` of stream ${stream}`} is not a valid ` +
        `tip or batch: ${problem}. It was written by something other than Tributary/Equinox, or edited by hand.`,
      options,
    );
  }
}

/** Loading found a gap: the batches of a stream do not reach back to its start or to a snapshot. */
export class MissingEvents extends TributaryError {
  readonly code = 'MissingEvents';
  constructor(
    readonly stream: string,
    readonly fromVersion: bigint,
    readonly toVersion: bigint,
  ) {
    super(
      `Stream ${stream} has no events stored for versions ${fromVersion}..${toVersion - 1n} and no snapshot after ` +
        `them, so its state cannot be rebuilt. Were batch documents deleted or pruned without a snapshot strategy?`,
    );
  }
}

/**
 * Cosmos DB refused an append with a status that retrying does not change; nothing was written. A 400 (bad request)
 * or 413 (too large) is `permanent`: a stream handler that fails with one is parked at once when parking is on.
 */
export class AppendRejected extends TributaryError {
  readonly code = 'AppendRejected';
  readonly permanent: boolean;
  constructor(
    readonly stream: string,
    readonly version: bigint,
    readonly status: number | undefined,
    /** the document whose operation failed (`"-1"` the tip, else the calved batch), when Cosmos DB said */
    readonly documentId: string | undefined,
    options?: { cause?: unknown },
  ) {
    const what = status === 413 ? ' (too large)' : status === 400 ? ' (bad request)' : '';
    const document = documentId === undefined ? '' : ` on document ${JSON.stringify(documentId)}`;
    super(
      `Cosmos DB refused the append at version ${version} of stream ${stream}${document} with status ${status}` +
        `${what}; nothing was written. Sending it again gives the same answer: check the size and content of the ` +
        'events and snapshots, and that the container is partitioned by /p.',
      options,
    );
    this.permanent = status === 400 || status === 413;
  }
}
