import { TributaryError } from '../core/index.ts';

/** The blob store refused or could not be reached (down, throttled, no access): nothing was claimed as archived. */
export class ArchiveUnavailable extends TributaryError {
  readonly code = 'ArchiveUnavailable';
  constructor(
    readonly operation: string,
    readonly blob: string,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? options.cause.message.split('\n')[0] : String(options?.cause);
    super(
      `The archive could not ${operation} ${blob} (${reason}). Nothing was recorded as archived; the archiver keeps ` +
        'its checkpoint and retries, the pruner deletes nothing. Check that the storage account is reachable and ' +
        'that this identity has the Storage Blob Data Contributor role on the archive container.',
      options,
    );
  }
}

/** A blob read back does not match what was written (a torn or altered write). */
export class TornArchiveBlob extends TributaryError {
  readonly code = 'TornArchiveBlob';
  constructor(
    readonly blob: string,
    readonly problem: string,
  ) {
    super(
      `Archive blob ${blob} is torn or altered: ${problem}. Its events count as not archived: the archiver writes ` +
        'them again when it is asked to, and the pruner keeps the container documents that hold them.',
    );
  }
}

/** An archive write kept reading back differently from what was sent. */
export class ArchiveWriteUnverified extends TributaryError {
  readonly code = 'ArchiveWriteUnverified';
  constructor(
    readonly blob: string,
    readonly attempts: number,
    readonly problem: string,
  ) {
    super(
      `Archive blob ${blob} still read back wrong after ${attempts} write(s) (${problem}). The spans it held are ` +
        'not acknowledged, so the archiver keeps its checkpoint and tries again later.',
    );
  }
}

/** A load needs events that the container no longer holds, and the archive does not hold them either. */
export class ArchivedHistoryMissing extends TributaryError {
  readonly code = 'ArchivedHistoryMissing';
  constructor(
    readonly stream: string,
    readonly before: number,
    problem: string,
  ) {
    super(
      `Stream ${stream} needs its events before version ${before} from the archive, but ${problem}. ` +
        'Check the archive container (its pruned/ index for the stream and the segments it lists).',
    );
  }
}

/** An option of the archive, archiver, pruner or replay is out of range. */
export class InvalidArchiveOptions extends TributaryError {
  readonly code = 'InvalidArchiveOptions';
  constructor(
    readonly where: string,
    problems: string,
  ) {
    super(`Invalid options for ${where}: ${problems}.`);
  }
}

/** A replay was asked for on a processor whose archiver has never checkpointed: the archive may be incomplete. */
export class ArchiveNotCaughtUp extends TributaryError {
  readonly code = 'ArchiveNotCaughtUp';
  constructor(readonly archiver: string) {
    super(
      `The archiver ${archiver} has no checkpoint yet, so the archive cannot say which part of the change feed it ` +
        'covers. Run the archiver (runArchiver) until it has written its checkpoints, then replay from the archive.',
    );
  }
}

/** Cosmos DB refused to delete a stream's pruned batches (one transactional batch: nothing of it was deleted). */
export class PruneDeleteFailed extends TributaryError {
  readonly code = 'PruneDeleteFailed';
  constructor(
    readonly stream: string,
    readonly batches: number,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Deleting ${batches} archived batch(es) of ${stream} failed with status ${status}; nothing of that request was ` +
        'deleted (a transactional batch) and the archive still holds them. Run the pruner again (a 412 means the ' +
        'batch changed since it was checked: it is checked again next time).',
      options,
    );
  }
}
