export {
  FeedHeadUnknown,
  InvalidProjection,
  UnstorableView,
  ViewPartitionKeyMissing,
  ViewRejected,
  ViewTooLarge,
} from './errors.ts';
export { createProjection, type Projection } from './projection.ts';
export { runProjection } from './runner.ts';
export { unappliedEvents, versionAfter, viewId } from './view-document.ts';
