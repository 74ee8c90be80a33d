import { TributaryError } from '../core/index.ts';

export class UnknownProcessor extends TributaryError {
  readonly code = 'UnknownProcessor';
  constructor(
    readonly processor: string,
    known: readonly string[],
  ) {
    super(`No processor named "${processor}" runs here. Processors: ${known.join(', ') || 'none'}.`);
  }
}
