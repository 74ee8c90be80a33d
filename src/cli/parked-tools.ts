import { ContainerNames } from '../store/index.ts';
import { cosmosDeadLetters, createStreamScheduler, type DeadLetter } from '../streams/index.ts';
import type { AppToHost } from './app-option.ts';
import type { CliIo, TextSink } from './context.ts';
import { DevHostReplayFailed, NotParked, ParkedForSeveralProcessors, UnknownProcessorName } from './errors.ts';
import { withHostedApp } from './hosted-app-session.ts';
import type { CosmosConnection } from './open-connection.ts';

const deadLettersOf = (connection: CosmosConnection) =>
  connection.client.database(connection.databaseId).container(ContainerNames.deadLetters);

async function parkedLetters(connection: CosmosConnection, processor: string | undefined): Promise<DeadLetter[]> {
  const container = deadLettersOf(connection);
  let names: string[];
  if (processor !== undefined) {
    names = [processor];
  } else {
    const { resources } = await container.items.query<{ processor?: unknown }>('SELECT c.processor FROM c').fetchAll();
    names = [...new Set(resources.map((r) => r.processor).filter((p): p is string => typeof p === 'string'))].sort();
  }
  const store = cosmosDeadLetters(container);
  return (await Promise.all(names.map((name) => store.list(name)))).flat();
}

export async function printParked(
  connection: CosmosConnection,
  options: { processor: string | undefined; json: boolean; out: TextSink },
): Promise<number> {
  const letters = await parkedLetters(connection, options.processor);
  for (const letter of letters) {
    if (options.json) {
      options.out.write(`${JSON.stringify(letter)}\n`);
      continue;
    }
    options.out.write(
      `${letter.stream}  processor ${letter.processor}  parked ${letter.parkedAt}  after ${letter.attempts} attempt(s)  ` +
        `${letter.events.length} event(s)\n    ${letter.reason}: ${letter.error.name}: ${letter.error.message}\n`,
    );
  }
  if (!options.json) options.out.write(`${letters.length} parked stream(s) in ${connection.description}.\n`);
  return 0;
}

async function replayThroughDevHost(url: string, processor: string, stream: string): Promise<string> {
  const response = await fetch(`${url}/dashboard/api/parked/replay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ processor, stream }),
  });
  const body = (await response.json()) as { message?: string };
  if (!response.ok) throw new DevHostReplayFailed(stream, body.message ?? `HTTP ${response.status}`);
  return body.message ?? `Replayed ${stream}.`;
}

/**
 * Replays a parked stream through its processor's handler: by the running dev host when there is one, else with the
 * app's handler in this process. The events go through the handler again in order, then the dead letter is
 * removed. Fails if the handler fails again.
 */
export async function replayParked(
  connection: CosmosConnection,
  stream: string,
  options: { processor: string | undefined; out: TextSink; io: CliIo; app: () => Promise<AppToHost> },
): Promise<number> {
  const letters = (await parkedLetters(connection, options.processor)).filter((letter) => letter.stream === stream);
  const [letter, ...others] = letters;
  if (letter === undefined) throw new NotParked(stream, options.processor, connection.description);
  if (others.length > 0) {
    throw new ParkedForSeveralProcessors(
      stream,
      letters.map((l) => l.processor),
    );
  }
  if (connection.devHostUrl !== undefined) {
    // The running dev host holds the stream as parked in its scheduler: it must be the one to replay it.
    options.out.write(`${await replayThroughDevHost(connection.devHostUrl, letter.processor, stream)}\n`);
    return 0;
  }
  const appToHost = await options.app();
  return withHostedApp(connection, options.io, appToHost, async (app, context) => {
    const definition = app.processors.find((candidate) => candidate.processorName === letter.processor);
    if (definition === undefined) {
      throw new UnknownProcessorName(
        letter.processor,
        app.processors.map((p) => p.processorName),
        `the app ${appToHost.source}`,
      );
    }
    const scheduler = createStreamScheduler({
      name: definition.processorName,
      handle: definition.handle,
      parking: { deadLetters: context.containers.deadLetters, afterAttempts: 1 },
    });
    try {
      await scheduler.parked.replay(stream);
    } finally {
      scheduler.close();
    }
    options.out.write(
      `Replayed ${letter.events.length} event(s) of ${stream} through ${definition.processorName}; it is no longer parked.\n`,
    );
    return 0;
  });
}
