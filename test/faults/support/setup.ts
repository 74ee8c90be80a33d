import type { Database } from '@azure/cosmos';
import type { LocalCosmos } from '../../../src/emulator/index.ts';
import { ensureContainers } from '../../../src/store/index.ts';
import { startTestCosmos, type TestCosmos } from '../../support/cosmos.ts';

/**
 * The fault suite injects faults into (and reads metrics from) the in-process emulator. Against `COSMOS_ENDPOINT` its
 * scenarios fail with a clear message, or are skipped when `TRIBUTARY_ALLOW_SKIP=1`.
 */
export const skipWithoutLocalCosmos =
  process.env.COSMOS_ENDPOINT !== undefined && process.env.TRIBUTARY_ALLOW_SKIP === '1';

/** A fresh database with Tributary's containers on the in-process emulator (the fault suite needs its faults). */
export interface FaultCosmos {
  readonly cosmos: TestCosmos;
  readonly local: LocalCosmos;
  readonly database: Database;
  /** faults injected by the emulator since the start, all kinds */
  faultsInjected(): number;
  close(): Promise<void>;
}

export async function startFaultCosmos(options: { partitions?: number } = {}): Promise<FaultCosmos> {
  const cosmos = await startTestCosmos(options);
  if (!cosmos.local) {
    await cosmos.close();
    throw new Error('The fault suite injects faults into the in-process emulator: unset COSMOS_ENDPOINT to run it.');
  }
  const local = cosmos.local;
  const created = await cosmos.database('faults');
  await ensureContainers(cosmos.client, { databaseId: created.id });
  return {
    cosmos,
    local,
    database: cosmos.client.database(created.id),
    faultsInjected: () => Object.values(local.metrics().faultsInjected).reduce((a, b) => a + b, 0),
    close: () => cosmos.close(),
  };
}

/** Polls `condition` until it holds (a state of the system, never a fixed sleep standing in for one). */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  holds: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
