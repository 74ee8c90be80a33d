import { TributaryError } from '../core/index.ts';

/** The reactor definition is invalid. */
export class InvalidReactor extends TributaryError {
  readonly code = 'InvalidReactor';
}
