import { InvalidOptions, TributaryError } from '../core/index.ts';

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

/**
 * The processor was configured with values it cannot run with (raised by `createChangeFeedProcessor`); `problems`
 * lists each broken option.
 */
export class InvalidProcessorOptions extends InvalidOptions {
  override readonly code = 'InvalidProcessorOptions';
}

/** `start()` was called on a processor that is running or was stopped: create a new processor instead. */
export class ProcessorAlreadyStarted extends TributaryError {
  readonly code = 'ProcessorAlreadyStarted';
  constructor(
    readonly processor: string,
    readonly instanceId: string,
  ) {
    super(`Processor ${processor} (${instanceId}) was already started; create a new processor to start again.`);
  }
}

/** The monitored container answered with no feed ranges, so no lease can be mapped to a range to read. */
export class NoFeedRanges extends TributaryError {
  readonly code = 'NoFeedRanges';
  constructor(readonly container: string) {
    super(`Container ${container} reported no feed ranges.`);
  }
}

/**
 * A lease starting from "now" could not pin its position: every probe of the feed found new changes (writes keep
 * landing in the range). The acquire cycle reports it and tries the lease again next cycle.
 */
export class NowUnresolved extends TributaryError {
  readonly code = 'NowUnresolved';
  constructor(
    readonly leaseId: string,
    readonly probes: number,
  ) {
    super(`Lease ${leaseId}: the feed kept answering changes to "now" (${probes} probes); retried next cycle.`);
  }
}

/** A checkpoint tool gave up on a lease that kept changing under it (a running processor renewing it). */
export class LeaseContended extends TributaryError {
  readonly code = 'LeaseContended';
  constructor(
    readonly leaseId: string,
    readonly attempts: number,
  ) {
    super(`Lease ${leaseId} kept changing (${attempts} attempts); retry when the processor is stopped.`);
  }
}

/** Cosmos DB refused to create a lease document (other than "it exists already"); `status` is its HTTP status. */
export class LeaseCreateFailed extends TributaryError {
  readonly code = 'LeaseCreateFailed';
  constructor(
    readonly leaseId: string,
    readonly status: number | undefined,
  ) {
    super(`Creating lease ${leaseId} failed with status ${status ?? 'unknown'}; the next acquire cycle tries again.`);
  }
}
