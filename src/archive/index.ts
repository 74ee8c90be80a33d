export type { PrunedHistory } from '../store/pruned-history.ts';
export type { ArchiveBlob, ArchiveBlobProperties, ArchiveBlobs, ArchiveRequestCounts } from './archive-blobs.ts';
export { archivePrunedHistory, readArchivedStream } from './archive-reader.ts';
export { type Archiver, type ArchiverOptions, archiverProcessorName, createArchiver, runArchiver } from './archiver.ts';
export { blobContainerArchive } from './blob-store.ts';
export { type BlobArchiveConnection, defaultArchiveContainer, openBlobArchive } from './connection.ts';
export { type EraseOptions, ErasureRecord, eraseStream, listErasures } from './erasure.ts';
export {
  ArchivedHistoryMissing,
  ArchiveNotCaughtUp,
  ArchiveUnavailable,
  ArchiveWriteUnverified,
  InvalidArchiveOptions,
  PruneDeleteFailed,
  TornArchiveBlob,
} from './errors.ts';
export { ArchiveLayout, archiveFormat } from './layout.ts';
export { SegmentManifest } from './manifest.ts';
export { PrunedIndex } from './pruned-index.ts';
export { type PruneOptions, type PrunePolicy, type PruneReport, pruneCategory } from './pruner.ts';
export {
  type ArchiveReplayProgress,
  type ArchiveRun,
  type ArchiveRunOptions,
  replayArchiveFor,
  replayArchiveInto,
  runFromArchive,
} from './replay.ts';
export { ArchivedEvent } from './segment.ts';
export type { FlushLimits } from './segment-writer.ts';
