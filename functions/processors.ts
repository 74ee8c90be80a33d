import { type ChangeFeedProcessor, createChangeFeedProcessor, type LeaseTimings } from '../src/feed/index.ts';
import { createStreamScheduler, type StreamScheduler } from '../src/streams/index.ts';
import type { BankApp, BankHandler } from './app.ts';

export interface BankProcessorsOptions {
  /** this instance's id in lease documents; default: the processor's own default (host-pid-random) */
  readonly instanceId?: string;
  /** pause after a read that found nothing new; default 1 s (the processor's default) */
  readonly pollIntervalMs?: number;
  readonly leaseTimings?: Partial<LeaseTimings>;
  readonly checkpointIntervalMs?: number;
  /** park a stream in the dead-letters container after this many failed attempts; default 5; `false`: never park */
  readonly parkAfterAttempts?: number | false;
}

/** One of the bank's handlers running on Tributary's change-feed processor. */
export interface RunningBankHandler {
  readonly handler: BankHandler;
  readonly scheduler: StreamScheduler;
  readonly processor: ChangeFeedProcessor;
}

export interface BankProcessors {
  readonly running: readonly RunningBankHandler[];
  /** the running handler by name (`accountBalance`, `accountStatement`, `transferProcess`, `statementLines`) */
  get(name: string): RunningBankHandler;
  /** stops every processor: drains handlers in flight, writes checkpoints, releases leases */
  stop(): Promise<void>;
}

/**
 * Runs every handler of the bank on its own named processor (self-hosted: the dev host, a container, a VM): the
 * same handlers the Functions triggers run, with the stream scheduler in front for ordering, dedupe and retries.
 * Several instances of this (in any number of processes) share the work through the leases.
 */
export async function startBankProcessors(bank: BankApp, options: BankProcessorsOptions = {}): Promise<BankProcessors> {
  const parkAfter = options.parkAfterAttempts ?? 5;
  const running = bank.handlers.map((handler): RunningBankHandler => {
    const scheduler = createStreamScheduler({
      name: handler.processorName,
      handle: handler.handle,
      ...(parkAfter === false
        ? {}
        : { parking: { deadLetters: bank.containers.deadLetters, afterAttempts: parkAfter } }),
    });
    const processor = createChangeFeedProcessor({
      name: handler.processorName,
      monitored: bank.containers.events,
      leases: bank.containers.leases,
      sink: scheduler,
      ...(options.instanceId ? { instanceId: options.instanceId } : {}),
      ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.leaseTimings ? { leaseTimings: options.leaseTimings } : {}),
      ...(options.checkpointIntervalMs ? { checkpointIntervalMs: options.checkpointIntervalMs } : {}),
    });
    return { handler, scheduler, processor };
  });
  await Promise.all(running.map(({ processor }) => processor.start()));
  return {
    running,
    get(name) {
      const found = running.find((entry) => entry.handler.name === name);
      if (!found)
        throw new Error(`The bank has no handler ${name}; it has ${running.map((r) => r.handler.name).join(', ')}.`);
      return found;
    },
    async stop() {
      await Promise.all(running.map(({ processor }) => processor.stop()));
    },
  };
}
