import { TributaryError } from '../core/index.ts';

/** The command line does not say something the CLI can run; exit code 2, with a pointer to `--help`. */
export class UsageError extends TributaryError {
  readonly code = 'UsageError';
  constructor(
    message: string,
    /** the command path whose help explains the right usage, e.g. `checkpoints rewind` */
    readonly commandPath: string,
  ) {
    super(message);
  }
}
