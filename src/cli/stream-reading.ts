import { createCosmosStore } from '../store/index.ts';
import type { TextSink } from './context.ts';
import type { CosmosConnection } from './open-connection.ts';

const storeOf = (connection: CosmosConnection) =>
  createCosmosStore({ client: connection.client, databaseId: connection.databaseId });

export async function listStreams(connection: CosmosConnection, category: string) {
  return storeOf(connection).listStreams(category);
}

const bigintAsNumber = (_key: string, value: unknown) => (typeof value === 'bigint' ? Number(value) : value);

/** Prints a stream's events (from `from` on) and its unfolds: a readable listing, or JSON lines. */
export async function dumpStream(
  connection: CosmosConnection,
  stream: string,
  options: { json: boolean; from: bigint; out: TextSink },
): Promise<void> {
  const { from } = options;
  const dump = await storeOf(connection).dumpStream(stream);
  const events = dump.events.filter((event) => event.index >= from);
  if (options.json) {
    // one object per line: the events (from `from` on), then the tip's unfolds; `kind` tells them apart
    for (const event of events) {
      options.out.write(`${JSON.stringify({ kind: 'event', stream, ...event }, bigintAsNumber)}\n`);
    }
    for (const unfold of dump.unfolds) {
      options.out.write(`${JSON.stringify({ kind: 'unfold', stream, ...unfold }, bigintAsNumber)}\n`);
    }
    return;
  }
  if (dump.tip === undefined && dump.events.length === 0) {
    options.out.write(`${stream} has no events (in ${connection.description}).\n`);
    return;
  }
  options.out.write(
    `${stream}  version ${dump.version}  (${dump.events.length} events, ${dump.batches.length} batch document(s))\n`,
  );
  for (const event of events) {
    options.out.write(
      `  #${event.index}  ${event.timestamp.toISOString()}  ${event.type}  ${JSON.stringify(event.data)}\n`,
    );
  }
  for (const unfold of dump.unfolds) {
    options.out.write(`  unfold ${unfold.type} (at version ${unfold.index})  ${JSON.stringify(unfold.data)}\n`);
  }
}
