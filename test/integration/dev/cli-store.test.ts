import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../../src/cli/run.ts';
import { defineCodec } from '../../../src/codec/index.ts';
import { AccessStrategy, ContainerNames, createCosmosStore } from '../../../src/store/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { captureIo } from '../../unit/cli/capture-io.ts';

const codec = defineCodec({ Noted: z.object({ text: z.string() }), Counted: z.object({ notes: z.number() }) });
type Note = { type: 'Noted'; data: { text: string } } | { type: 'Counted'; data: { notes: number } };

const cosmos = useTestCosmos();
let databaseId: string;

/** Runs the CLI against the test server and database, as a user with COSMOS_KEY set would. */
async function tributary(...argv: string[]) {
  const { io, out } = captureIo({ COSMOS_KEY: cosmos.key });
  const code = await runCli([...argv, '--endpoint', cosmos.endpoint, '--database', databaseId], io);
  return { code, ...out };
}

beforeAll(async () => {
  databaseId = `cli-${randomUUID().slice(0, 8)}`;
});

afterAll(async () => {
  await cosmos.client
    .database(databaseId)
    .delete()
    .catch(() => undefined);
  await cosmos.close();
});

describe('tributary init, streams and dump', () => {
  it('init creates the database with its events, leases, views and dead-letter containers, and may run again', async () => {
    const first = await tributary('init');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Database "${databaseId}"`);
    expect((await tributary('init')).code).toBe(0);
    const { resources } = await cosmos.client.database(databaseId).containers.readAll().fetchAll();
    expect(resources.map((c) => c.id).sort()).toEqual(Object.values(ContainerNames).sort());
  });

  it("streams lists the streams of a category with their versions, and dump prints a stream's events", async () => {
    const store = createCosmosStore({ client: cosmos.client, databaseId });
    const notes = store.category<Note, number>({ name: 'Note', codec, fold: { initial: 0, evolve: (n) => n + 1 } });
    await notes.transact('a', () => [
      { type: 'Noted', data: { text: 'first' } },
      { type: 'Noted', data: { text: 'second' } },
    ]);
    await notes.transact('b', () => [{ type: 'Noted', data: { text: 'only' } }]);

    const listed = await tributary('streams', 'Note');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe('Note-a  version 2\nNote-b  version 1\n');
    expect(listed.stderr).toContain('2 stream(s) in category Note.');

    const dumped = await tributary('dump', 'Note-a');
    expect(dumped.code).toBe(0);
    expect(dumped.stdout).toContain('Note-a  version 2');
    expect(dumped.stdout).toMatch(/#0 {2}\S+ {2}Noted {2}\{"text":"first"\}/);
    expect(dumped.stdout).toMatch(/#1 {2}\S+ {2}Noted {2}\{"text":"second"\}/);

    const json = await tributary('dump', 'Note-a', '--json', '--from', '1');
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ kind: 'event', stream: 'Note-a', index: 1, type: 'Noted', data: { text: 'second' } }),
    ]);
  });

  it('dump --json prints the unfolds of the tip after the events', async () => {
    const store = createCosmosStore({ client: cosmos.client, databaseId });
    const counted = store.category<Note, number>({
      name: 'Counted',
      codec,
      fold: { initial: 0, evolve: (n) => n + 1 },
      access: AccessStrategy.Snapshot<Note, number>(
        (event) => event.type === 'Counted',
        (notes) => ({ type: 'Counted', data: { notes } }),
      ),
    });
    await counted.transact('x', () => [
      { type: 'Noted', data: { text: 'one' } },
      { type: 'Noted', data: { text: 'two' } },
    ]);
    const json = await tributary('dump', 'Counted-x', '--json');
    expect(json.code).toBe(0);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.kind, line.type])).toEqual([
      ['event', 'Noted'],
      ['event', 'Noted'],
      ['unfold', 'Counted'],
    ]);
    expect(lines[2]).toMatchObject({ stream: 'Counted-x', index: 2, data: { notes: 2 } });
  });

  it('dump says so when a stream has no events', async () => {
    expect((await tributary('dump', 'Note-missing')).stdout).toContain('Note-missing has no events');
  });
});
