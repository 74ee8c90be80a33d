import { TributaryError } from '../core/index.ts';
import type { AsOf, StateAsOf } from '../store/index.ts';
import type { AppToHost } from './app-option.ts';
import type { CliIo } from './context.ts';
import { withHostedApp } from './hosted-app-session.ts';
import type { CosmosConnection } from './open-connection.ts';

export class StateNotFolded extends TributaryError {
  readonly code = 'StateNotFolded';
  constructor(stream: string, app: string, why: string) {
    super(
      `Cannot fold ${stream} as of an earlier point: the app ${app} ${why}. Give the app a stateAsOf that calls ` +
        "its category's loadAsOf, or read the events with `tributary dump` without --at.",
    );
  }
}

const bigintAsNumber = (_key: string, value: unknown) => (typeof value === 'bigint' ? Number(value) : value);

function originText(loaded: StateAsOf<unknown>): string {
  const { origin } = loaded;
  if (origin.kind === 'start') return 'folded from the start';
  if (origin.kind === 'snapshot') return `folded from the tip's ${origin.type} snapshot at version ${origin.version}`;
  return `folded from the ${origin.type} event at version ${origin.version}`;
}

/** Prints a stream's state as of a version or a time, folded by the app: readable, or one JSON object. */
export async function dumpStateAsOf(
  connection: CosmosConnection,
  io: CliIo,
  app: AppToHost,
  stream: string,
  asOf: AsOf,
  json: boolean,
): Promise<void> {
  const loaded = await withHostedApp(connection, io, app, async (hosted) => {
    if (hosted.stateAsOf === undefined) throw new StateNotFolded(stream, app.source, 'has no stateAsOf');
    const found = await hosted.stateAsOf(stream, asOf);
    if (found === undefined) throw new StateNotFolded(stream, app.source, "does not know the stream's category");
    return found;
  });
  const last = loaded.lastEvent;
  if (json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          kind: 'state',
          stream,
          version: loaded.version,
          currentVersion: loaded.currentVersion,
          lastEvent: last === undefined ? null : { index: last.index, type: last.type, timestamp: last.timestamp },
          origin: loaded.origin,
          eventsFolded: loaded.eventsFolded,
          requests: loaded.requests,
          state: loaded.state,
        },
        bigintAsNumber,
      )}\n`,
    );
    return;
  }
  const after =
    last === undefined
      ? 'before its first event'
      : `after #${last.index} ${last.type} at ${last.timestamp.toISOString()}`;
  io.stdout.write(`${stream} as of version ${loaded.version} of ${loaded.currentVersion} (${after})\n`);
  io.stdout.write(
    `  ${originText(loaded)}: ${loaded.eventsFolded} event(s) folded, ${loaded.requests} request(s) (in ${connection.description})\n`,
  );
  io.stdout.write(`${JSON.stringify(loaded.state, bigintAsNumber, 2)}\n`);
}
