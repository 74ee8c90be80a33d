/**
 * Writers of the concurrent-writers scenario in their own process, with their own client and store (`queueWrites`
 * off), so that optimistic concurrency is contended for real: appends race at Cosmos, not in one process's queue.
 * Configured by TRIBUTARY_WRITER_CHILD (JSON); sends its outcome over IPC and exits.
 */
import { CosmosClient } from '@azure/cosmos';
import { z } from 'zod';
import { defineCodec, type EventOf } from '../../../src/codec/index.ts';
import { AccessStrategy, createCosmosStore } from '../../../src/store/index.ts';

export interface WriterChildConfig {
  readonly endpoint: string;
  readonly key: string;
  readonly databaseId: string;
  /** the writer numbers this process runs, concurrently */
  readonly writers: readonly number[];
  readonly commandsPerWriter: number;
  readonly hotStreams: number;
}

export interface WriterChildOutcome {
  /** command key `writer:seq` → stream and version acknowledged */
  readonly acknowledged: ReadonlyArray<readonly [string, string, string]>;
  readonly rejected: readonly string[];
}

export const counterCodec = defineCodec({
  Incremented: z.object({ writer: z.number(), seq: z.number(), seen: z.number() }),
  Snapshotted: z.object({ count: z.number() }),
});
type Event = EventOf<typeof counterCodec>;

async function main(config: WriterChildConfig) {
  const client = new CosmosClient({
    endpoint: config.endpoint,
    key: config.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const store = createCosmosStore({ client, databaseId: config.databaseId });
  const counter = store.category({
    name: 'Counter',
    codec: counterCodec,
    fold: {
      initial: 0,
      evolve: (count: number, event: Event) => (event.type === 'Snapshotted' ? event.data.count : count + 1),
    },
    access: AccessStrategy.Snapshot<Event, number>(
      (e) => e.type === 'Snapshotted',
      (count) => ({ type: 'Snapshotted', data: { count } }),
    ),
    maxAttempts: 1_000,
    queueWrites: false,
  });
  const acknowledged: Array<readonly [string, string, string]> = [];
  const rejected: string[] = [];
  await Promise.all(
    config.writers.map(async (writer) => {
      for (let seq = 0; seq < config.commandsPerWriter; seq++) {
        const id = `hot-${(writer * 7 + seq * 13) % config.hotStreams}`;
        const key = `${writer}:${seq}`;
        try {
          const outcome = await counter.transact(id, (count) => [
            { type: 'Incremented', data: { writer, seq, seen: count } },
          ]);
          acknowledged.push([key, `Counter-${id}`, String(outcome.version)]);
        } catch {
          rejected.push(key);
        }
      }
    }),
  );
  const outcome: WriterChildOutcome = { acknowledged, rejected };
  process.send?.(outcome, () => {
    client.dispose();
    process.exit(0);
  });
}

const raw = process.env.TRIBUTARY_WRITER_CHILD;
if (raw !== undefined) {
  main(JSON.parse(raw) as WriterChildConfig).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
