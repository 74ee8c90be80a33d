import { TributaryError } from '../core/index.ts';
import type { UnreadableReason } from './receiver.ts';

/**
 * A message the consumer could not read (no summary envelope, another contract, a newer contract version its schema
 * rejects, a body that is not JSON or not of the contract's shape). Retrying cannot cure it (`permanent`): with
 * parking on, its stream is parked at once with the message, so nothing after it in that stream overtakes it.
 */
export class SummaryMessageUnreadable extends TributaryError {
  readonly code = 'SummaryMessageUnreadable';
  readonly permanent = true;
  constructor(
    readonly reason: UnreadableReason,
    readonly problem: string,
  ) {
    super(
      `${problem} (${reason}). The message was parked with its stream; fix the producer or upgrade the consumer's ` +
        'contract, then replay the stream.',
    );
  }
}
