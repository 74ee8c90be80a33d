import { TributaryError } from '../core/index.ts';

/** Another instance (or a checkpoint tool) changed a lease this instance believed it owned. */
export class LeaseLost extends TributaryError {
  readonly code = 'LeaseLost';
  constructor(
    readonly leaseId: string,
    readonly instanceId: string,
    reason: string,
  ) {
    super(
      `Lease ${leaseId} is no longer owned by instance ${instanceId}: ${reason}. ` +
        'The instance stops reading that range; its new owner continues from the last checkpoint.',
    );
  }
}

/** The processor was configured with values it cannot run with. */
export class InvalidProcessorOptions extends TributaryError {
  readonly code = 'InvalidProcessorOptions';
  constructor(detail: string) {
    super(`Invalid change-feed processor options: ${detail}.`);
  }
}
