import type { StreamSpan } from '../core/index.ts';
import { StreamName } from '../core/index.ts';
import { type ChangeFeedHandler, type HandlerRun, type RunOptions, runHandler } from '../streams/index.ts';
import type { ArchiveBlobs } from './archive-blobs.ts';
import { InvalidArchiveOptions } from './errors.ts';
import { defaultFlushLimits, type FlushLimits, SegmentWriter, type SegmentWriterStats } from './segment-writer.ts';

export interface ArchiverOptions {
  /** names the archiver's processor (`archiver-<name>`): its leases and checkpoints; default `archive` */
  readonly name?: string;
  /** where the archive lives (`blobContainerArchive(containerClient)` or `openBlobArchive(...)`) */
  readonly blobs: ArchiveBlobs;
  /** when gathered spans are written as a segment */
  readonly flush?: Partial<FlushLimits>;
}

/** A reactor that copies every event of every stream to the archive, in order per stream. */
export interface Archiver extends ChangeFeedHandler {
  readonly name: string;
  readonly blobs: ArchiveBlobs;
  stats(): SegmentWriterStats;
  /** writes what is gathered now */
  flush(): Promise<void>;
}

const namePattern = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** The processor name of the archiver called `name`. */
export const archiverProcessorName = (name = 'archive') => `archiver-${name}`;

/**
 * The archiver: a stream handler that resolves only once the span's events are in a segment that reads back intact
 * (see `SegmentWriter`), so its checkpoint never passes an event that is not archived. Every category is archived:
 * a replay from the archive relies on it holding everything before the archiver's checkpoint.
 */
export function createArchiver(options: ArchiverOptions): Archiver {
  const name = options.name ?? 'archive';
  if (!namePattern.test(name)) {
    throw new InvalidArchiveOptions(
      'createArchiver',
      `name ${JSON.stringify(name)} must start with a letter and hold only letters, digits, "_", "." or "-"`,
    );
  }
  const limits = { ...defaultFlushLimits, ...options.flush };
  if (!(limits.maxEvents >= 1 && limits.maxDelayMs >= 0)) {
    throw new InvalidArchiveOptions('createArchiver', 'flush.maxEvents must be ≥ 1 and flush.maxDelayMs ≥ 0');
  }
  const writer = new SegmentWriter(options.blobs, limits);
  return {
    name,
    blobs: options.blobs,
    processorName: archiverProcessorName(name),
    async handle(span: StreamSpan) {
      const stream = StreamName.tryParse(span.stream);
      await writer.add(stream === undefined ? '_' : StreamName.category(stream), span);
      return undefined;
    },
    stats: () => ({ ...writer.stats }),
    flush: () => writer.flushAll(),
  };
}

/**
 * Runs the archiver over the change feed from the beginning (unless `processor.startFrom` says otherwise), with
 * enough streams in flight (64 unless told) that a segment gathers many spans. Parking is refused: a parked stream
 * would let the checkpoint pass events the archive does not hold, and a replay from the archive would miss them.
 */
export async function runArchiver(archiver: Archiver, options: RunOptions): Promise<HandlerRun> {
  if (options.parking !== undefined) {
    throw new InvalidArchiveOptions(
      'runArchiver',
      'parking is not allowed: the archiver holds its checkpoint on a failing stream instead, so that everything ' +
        'before the checkpoint is archived',
    );
  }
  return runHandler(archiver, {
    ...options,
    processor: { startFrom: 'beginning', ...options.processor },
    scheduler: { maxConcurrentStreams: 64, ...options.scheduler },
  });
}
