export { type ActiveVersionDocument, type ActiveVersionPointer, activeVersionPointer } from './active-version.ts';
export type { ProjectionDefinition } from './definition.ts';
export {
  FeedHeadUnknown,
  InvalidProjection,
  UnstorableView,
  ViewPartitionKeyMissing,
  ViewRejected,
  ViewTooLarge,
  ViewWriteConflicts,
} from './errors.ts';
export { createProjection, type Projection, type ViewQuery } from './projection.ts';
export { type ProjectionProgress, type ProjectionRunOptions, type RunningProjection, runProjection } from './runner.ts';
export { unappliedEvents, type ViewDocument, versionAfter, viewId, viewSet } from './view-document.ts';
