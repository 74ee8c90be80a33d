import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../../src/cli/run.ts';
import { defineCodec } from '../../../src/codec/index.ts';
import { createChangeFeedProcessor } from '../../../src/feed/index.ts';
import { ContainerNames, createCosmosStore, ensureContainers } from '../../../src/store/index.ts';
import { createStreamScheduler } from '../../../src/streams/index.ts';
import { waitUntilHandled } from '../../../src/testing/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';

const codec = defineCodec({ Noted: z.object({ text: z.string() }) });
type Note = { type: 'Noted'; data: { text: string } };

const cosmos = useTestCosmos();
let databaseId: string;

async function tributary(...argv: string[]) {
  const { io, out } = captureIo({ COSMOS_KEY: cosmos.key });
  const code = await runCli([...argv, '--endpoint', cosmos.endpoint, '--database', databaseId], io);
  return { code, ...out };
}

function notes() {
  const store = createCosmosStore({ client: cosmos.client, databaseId });
  return store.category<Note, number>({ name: 'Note', codec, fold: { initial: 0, evolve: (n) => n + 1 } });
}

beforeAll(async () => {
  databaseId = `cli-${randomUUID().slice(0, 8)}`;
  await ensureContainers(cosmos.client, { databaseId });
  await notes().transact('a', () => [{ type: 'Noted', data: { text: 'one' } }]);
  await notes().transact('b', () => [{ type: 'Noted', data: { text: 'two' } }]);
  // A processor reads both streams and stops, which writes its checkpoint and releases its lease.
  const database = cosmos.client.database(databaseId);
  const scheduler = createStreamScheduler({ name: 'note-reader', handle: async () => undefined });
  const processor = createChangeFeedProcessor({
    name: 'note-reader',
    monitored: database.container(ContainerNames.events),
    leases: database.container(ContainerNames.leases),
    sink: scheduler,
    pollIntervalMs: 50,
  });
  await processor.start();
  await Promise.all([waitUntilHandled(scheduler, 'Note-a', 1n), waitUntilHandled(scheduler, 'Note-b', 1n)]);
  await processor.stop();
  scheduler.close();
});

afterAll(async () => {
  await cosmos.client
    .database(databaseId)
    .delete()
    .catch(() => undefined);
  await cosmos.close();
});

describe('tributary checkpoints and lag', () => {
  it('checkpoints list shows each processor with its ranges, owners and checkpoint ages', async () => {
    const listed = await tributary('checkpoints', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^note-reader\n {2}range 00-FF {2}owner \(none\) {2}at \S+ {2}checkpointed \d+s ago/m,
    );
  });

  it('lag counts the changes a processor has not handled yet, per range', async () => {
    expect((await tributary('lag', '--processor', 'note-reader')).stdout).toContain('note-reader  0 change(s) behind');
    await notes().transact('c', () => [{ type: 'Noted', data: { text: 'three' } }]);
    const lag = await tributary('lag');
    expect(lag.code).toBe(0);
    expect(lag.stdout).toContain('note-reader  1 change(s) behind');
    expect(lag.stdout).toMatch(/range 00-FF {2}1 pending/);
  });

  it('checkpoints rewind --to beginning makes the processor start over, and lag shows the whole feed again', async () => {
    const rewound = await tributary('checkpoints', 'rewind', '--processor', 'note-reader', '--to', 'beginning');
    expect(rewound.code).toBe(0);
    expect(rewound.stdout).toContain('Rewound 1 lease(s) of note-reader to the beginning');
    expect((await tributary('checkpoints', 'list', '--processor', 'note-reader')).stdout).toContain(
      'rewound to the beginning',
    );
    expect((await tributary('lag', '--processor', 'note-reader')).stdout).toContain('3 change(s) behind');
  });

  it('checkpoints rewind accepts a time', async () => {
    const at = new Date(Date.now() - 60_000).toISOString();
    const rewound = await tributary('checkpoints', 'rewind', '--processor', 'note-reader', '--to', at);
    expect(rewound.stdout).toContain(`to ${at}`);
    expect((await tributary('checkpoints', 'list', '--processor', 'note-reader')).stdout).toContain(`rewound to ${at}`);
  });

  it('checkpoints reset forgets the checkpoints', async () => {
    const reset = await tributary('checkpoints', 'reset', '--processor', 'note-reader');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('Reset 1 lease(s) of note-reader');
    expect((await tributary('checkpoints', 'list', '--processor', 'note-reader')).stdout).toContain(
      'no checkpoint yet',
    );
  });

  it('fails with exit code 1 and the known processors for an unknown processor name', async () => {
    const unknown = await tributary('checkpoints', 'rewind', '--processor', 'nobody', '--to', 'beginning');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`No processor named "nobody" in the leases of ${cosmos.endpoint}.`);
    expect(unknown.stderr).toContain('Processors: note-reader.');
  });
});
