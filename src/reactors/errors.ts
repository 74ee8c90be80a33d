import { InvalidOptions } from '../core/index.ts';

/** A reactor definition breaks its schema; `problems` lists each broken field. */
export class InvalidReactor extends InvalidOptions {
  override readonly code: string = 'InvalidReactor';
}
