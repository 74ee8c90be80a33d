/**
 * Concurrent writers on hot streams, in separate processes with their own stores and `queueWrites` off, so that
 * optimistic concurrency is contended at Cosmos (the tip's ETag) rather than in one process's write queue.
 * Invariant: the history of every stream is linearizable — each event was decided on exactly the events before it —
 * versions are contiguous from 0, every acknowledged command appears exactly once and no rejected one appears at all
 * (no lost update, no phantom write), even with 429s on a fifth of the writes.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedger, scaled } from './support/ledger.ts';
import { replayEvents } from './support/replay.ts';
import { type FaultCosmos, skipWithoutLocalCosmos, startFaultCosmos } from './support/setup.ts';
import type { WriterChildConfig, WriterChildOutcome } from './support/writer-child.ts';

const ledger = openLedger(import.meta.filename);
afterAll(() => ledger.flush());

const writerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'writer-child.ts');

function runWriters(faults: FaultCosmos, config: Omit<WriterChildConfig, 'endpoint' | 'key' | 'databaseId'>) {
  const child = fork(writerScript, [], {
    env: {
      ...process.env,
      TRIBUTARY_WRITER_CHILD: JSON.stringify({
        ...config,
        endpoint: faults.cosmos.endpoint,
        key: faults.cosmos.key,
        databaseId: faults.database.id,
      }),
    },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<WriterChildOutcome>((resolve, reject) => {
    child.once('message', (outcome) => resolve(outcome as WriterChildOutcome));
    child.once('exit', (code) => reject(new Error(`a writer process exited (${code}) without reporting`)));
  });
}

describe.skipIf(skipWithoutLocalCosmos)('concurrent writers on hot streams', () => {
  it('keeps every hot stream linearizable with contiguous versions and no lost or phantom update', async () => {
    ledger.scenario();
    const hotStreams = scaled(4, 16);
    const processes = scaled(3, 4);
    const writersPerProcess = scaled(3, 6);
    const commandsPerWriter = scaled(25, 150);
    const writers = processes * writersPerProcess;
    const faults = await startFaultCosmos();
    try {
      faults.local.faults.add({ operation: 'batch', status: 429, probability: 0.2, retryAfterMs: 1 });

      const outcomes = await Promise.all(
        Array.from({ length: processes }, (_, p) =>
          runWriters(faults, {
            writers: Array.from({ length: writersPerProcess }, (_, w) => p * writersPerProcess + w),
            commandsPerWriter,
            hotStreams,
          }),
        ),
      );
      const acknowledged = new Map<string, { stream: string; version: bigint }>();
      const rejected = new Set<string>();
      for (const outcome of outcomes) {
        for (const [key, stream, version] of outcome.acknowledged)
          acknowledged.set(key, { stream, version: BigInt(version) });
        for (const key of outcome.rejected) rejected.add(key);
      }
      faults.local.faults.clear();
      ledger.faults(faults.faultsInjected());

      const replay = await replayEvents(faults.database.container('events'));
      expect(replay.broken).toEqual([]);
      const seen = new Map<string, { stream: string; version: number }>();
      for (const [stream, events] of replay.streams) {
        events.forEach((event, position) => {
          const data = event.data as { writer: number; seq: number; seen: number };
          // linearizable: the decision that produced the event at version k saw exactly k events
          expect(data.seen, `${stream}@${position}`).toBe(position);
          const key = `${data.writer}:${data.seq}`;
          expect(seen.has(key), `command ${key} appended twice`).toBe(false);
          seen.set(key, { stream, version: position + 1 });
        });
      }
      ledger.checked(replay.eventCount);
      let lost = 0;
      for (const [key, ack] of acknowledged) {
        const found = seen.get(key);
        if (found === undefined) lost++;
        else expect({ stream: found.stream, version: BigInt(found.version) }).toEqual(ack);
      }
      ledger.lost(lost);
      expect(lost).toBe(0);
      for (const key of rejected) expect(seen.has(key), `rejected command ${key} was written`).toBe(false);
      expect(acknowledged.size + rejected.size).toBe(writers * commandsPerWriter);
      expect(acknowledged.size).toBeGreaterThan(0);
    } finally {
      await faults.close();
    }
  });
});
