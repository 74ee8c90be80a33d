import { TributaryError } from '../core/index.ts';

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

/** The projection definition is invalid. */
export class InvalidProjection extends TributaryError {
  readonly code = 'InvalidProjection';
}
