/**
 * How often events are handed to the handler more than once, per kind of handover: a graceful stop and restart, a
 * rebalance (a second instance takes half the leases from a running one), and a crash (SIGKILL, leases taken over
 * after they expire). Delivery is at least once, so the invariant is that nothing is missing; the re-deliveries are
 * measured and bounded: none after a graceful restart, and only what was handled after the last checkpoint otherwise.
 */
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFleet, type Fleet } from './support/fleet.ts';
import { openLedger, scaled } from './support/ledger.ts';
import { runSeed, seededRandom } from './support/random.ts';
import { replayEvents } from './support/replay.ts';
import { eventually, type FaultCosmos, skipWithoutLocalCosmos, startFaultCosmos } from './support/setup.ts';
import { writeItems } from './support/workload.ts';

const ledger = openLedger(import.meta.filename);
afterAll(() => ledger.flush());

interface Deliveries {
  readonly handed: number;
  readonly distinct: number;
  readonly missing: number;
}

function countDeliveries(file: string, expected: ReadonlyMap<string, readonly unknown[]>): Deliveries {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // nothing handed yet
  }
  const lines = text.split('\n').filter((line) => line.length > 0);
  const distinct = new Set(lines);
  let missing = 0;
  for (const [stream, events] of expected)
    for (let version = 0; version < events.length; version++) if (!distinct.has(`${stream} ${version}`)) missing++;
  return { handed: lines.length, distinct: distinct.size, missing };
}

async function scenario(
  name: string,
  act: (fleet: Fleet, write: (events: number) => Promise<number>) => Promise<void>,
): Promise<Deliveries> {
  ledger.scenario();
  const random = seededRandom(runSeed());
  const faults: FaultCosmos = await startFaultCosmos({ partitions: 4 });
  const recordTo = path.join(os.tmpdir(), `tributary-redelivery-${process.pid}-${name}.log`);
  rmSync(recordTo, { force: true });
  const fleet = createFleet({
    endpoint: faults.cosmos.endpoint,
    key: faults.cosmos.key,
    databaseId: faults.database.id,
    projection: 'redelivery',
    recordTo,
  });
  const streams = scaled(20, 60);
  const write = (events: number) => writeItems(faults, { streams, events, random, writers: 2 });
  const caughtUp = async () => {
    const replay = await replayEvents(faults.database.container('events'));
    await eventually(
      'every event handed to the handler',
      async () => countDeliveries(recordTo, replay.streams),
      (deliveries) => deliveries.missing === 0,
      60_000,
      100,
    );
    return replay;
  };
  try {
    await write(scaled(300, 1_000));
    await fleet.start(0);
    await caughtUp();
    await act(fleet, write);
    const replay = await caughtUp();
    const deliveries = countDeliveries(recordTo, replay.streams);
    ledger.checked(replay.eventCount);
    ledger.lost(deliveries.missing);
    ledger.redelivered(deliveries.handed - deliveries.distinct);
    console.log(
      `redelivery [${name}]: ${replay.eventCount} events, handed ${deliveries.handed}, ` +
        `duplicates ${deliveries.handed - deliveries.distinct}`,
    );
    return deliveries;
  } finally {
    await fleet.stopAll();
    await faults.close();
    rmSync(recordTo, { force: true });
  }
}

describe.skipIf(skipWithoutLocalCosmos)('re-delivery per kind of handover', () => {
  it(
    'hands no event twice across a graceful stop and restart',
    async () => {
      const deliveries = await scenario('graceful restart', async (fleet, write) => {
        await fleet.stop(0);
        ledger.faults(1);
        await write(scaled(300, 1_000));
        await fleet.start(0);
      });
      expect(deliveries.handed - deliveries.distinct).toBe(0);
    },
    scaled(120_000, 480_000),
  );

  it(
    'hands again only what was handled after the last checkpoint when a second instance takes leases over',
    async () => {
      const deliveries = await scenario('rebalance', async (fleet, write) => {
        const writing = write(scaled(1_500, 4_000));
        await new Promise((resolve) => setTimeout(resolve, 300));
        await fleet.start(1);
        ledger.faults(1);
        await writing;
      });
      expect(deliveries.missing).toBe(0);
    },
    scaled(120_000, 480_000),
  );

  it(
    'hands again only what was handled after the last checkpoint when an instance is killed',
    async () => {
      const deliveries = await scenario('crash', async (fleet, write) => {
        const writing = write(scaled(1_500, 4_000));
        await new Promise((resolve) => setTimeout(resolve, 700));
        await fleet.kill(0);
        ledger.faults(1);
        await writing;
        await fleet.start(0);
      });
      expect(deliveries.missing).toBe(0);
    },
    scaled(120_000, 480_000),
  );
});
