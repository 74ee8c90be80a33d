import type { LeaseTimings } from '../src/feed/index.ts';
import { type HandlerRun, runHandler } from '../src/streams/index.ts';
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
export interface RunningBankHandler extends HandlerRun {
  readonly handler: BankHandler;
}

export interface BankProcessors {
  readonly running: readonly RunningBankHandler[];
  /** the running handler by name (`accountBalance`, `accountStatement`, `transferProcess`, `statementLines`) */
  get(name: string): RunningBankHandler;
  /** stops every processor (drains handlers in flight, writes checkpoints, releases leases) and its scheduler */
  stop(): Promise<void>;
}

/**
 * Runs every handler of the bank on its own named processor (self-hosted: the dev host, a container, a VM): the
 * same handlers the Functions triggers run, with the stream scheduler in front for ordering, dedupe and retries.
 * Several instances of this (in any number of processes) share the work through the leases.
 */
export async function startBankProcessors(bank: BankApp, options: BankProcessorsOptions = {}): Promise<BankProcessors> {
  const parkAfter = options.parkAfterAttempts ?? 5;
  const { parkAfterAttempts: _, ...processor } = options;
  const runs = await Promise.allSettled(
    bank.handlers.map(
      async (handler): Promise<RunningBankHandler> => ({
        ...(await runHandler(handler, {
          events: bank.containers.events,
          leases: bank.containers.leases,
          processor,
          ...(parkAfter === false
            ? {}
            : { parking: { deadLetters: bank.containers.deadLetters, afterAttempts: parkAfter } }),
        })),
        handler,
      }),
    ),
  );
  const running = runs.flatMap((run) => (run.status === 'fulfilled' ? [run.value] : []));
  const failed = runs.find((run) => run.status === 'rejected');
  if (failed) {
    await Promise.all(running.map((run) => run.stop()));
    throw failed.reason;
  }
  return {
    running,
    get(name) {
      const found = running.find((entry) => entry.handler.name === name);
      if (!found)
        throw new Error(`The bank has no handler ${name}; it has ${running.map((r) => r.handler.name).join(', ')}.`);
      return found;
    },
    async stop() {
      await Promise.all(running.map((run) => run.stop()));
    },
  };
}
