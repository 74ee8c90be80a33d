import type { HostedApp, HostedProcessorDefinition } from '../dev/index.ts';
import { deleteProcessor, rewindCheckpoints } from '../feed/index.ts';
import type { AppToHost } from './app-option.ts';
import { runUntilCaughtUp } from './catch-up.ts';
import type { CliIo } from './context.ts';
import { DevHostRunning, UnknownProcessorName } from './errors.ts';
import { withHostedApp } from './hosted-app-session.ts';
import type { CosmosConnection } from './open-connection.ts';
import { UsageError } from './usage-error.ts';

function refuseWhileDevHostRuns(connection: CosmosConnection) {
  if (connection.viaDevHost) throw new DevHostRunning();
}

const namesOf = (definition: HostedProcessorDefinition) => [
  ...new Set([definition.processorName, definition.name, ...(definition.aliases ?? [])]),
];

/**
 * The app's processor named on the command line by its processor name, its name or an alias; an unknown name is a
 * usage error (exit 2) listing the known ones.
 */
export function definitionOf(
  app: HostedApp,
  source: string,
  name: string,
  commandPath: string,
  kind?: string,
): HostedProcessorDefinition {
  const candidates = app.processors.filter((p) => kind === undefined || p.kind === kind);
  const definition = candidates.find((p) => namesOf(p).includes(name));
  if (definition === undefined) {
    const known = candidates.flatMap(namesOf);
    const unknown = new UnknownProcessorName(
      name,
      known,
      kind ? `the ${kind}s of the app ${source}` : `the app ${source}`,
    );
    throw new UsageError(unknown.message, commandPath);
  }
  return definition;
}

/** Deletes a projection's views and its leases, then runs it from the beginning until it has caught up. */
export async function rebuildProjection(
  connection: CosmosConnection,
  projection: string,
  io: CliIo,
  appToHost: AppToHost,
  commandPath = 'rebuild',
): Promise<number> {
  refuseWhileDevHostRuns(connection);
  return withHostedApp(connection, io, appToHost, async (app, context) => {
    const definition = definitionOf(app, appToHost.source, projection, commandPath, 'projection');
    if (!definition.clearViews) {
      throw new UsageError(
        `The projection ${projection} of the app ${appToHost.source} has no clearViews, so a rebuild could not start ` +
          'from empty views (views remember the versions they applied and would skip every event): define it with ' +
          'hostedProjection(projection) from tributary-cosmos/dev, or give it clearViews.',
        commandPath,
      );
    }
    const cleared = await definition.clearViews();
    await deleteProcessor({ leases: context.containers.leases, name: definition.processorName });
    io.stderr.write(`Deleted ${cleared} view(s) of ${projection}; rebuilding from the beginning of the events.\n`);
    const result = await runUntilCaughtUp(definition, context, {
      label: `rebuild ${projection}`,
      progress: io.stderr,
      log: (line) => io.stderr.write(`${line}\n`),
      interrupted: io.waitForInterrupt(),
    });
    if (result.interrupted) {
      io.stderr.write(`The rebuild of ${projection} stopped part way; run it again to start over.\n`);
      return 1;
    }
    io.stdout.write(`Rebuilt ${projection}: ${result.events} event(s) applied, ${result.parked} stream(s) parked.\n`);
    return result.parked > 0 ? 1 : 0;
  });
}

/** Rewinds a processor to a time or the beginning and runs it until it has caught up. */
export async function replayProcessor(
  connection: CosmosConnection,
  processor: string,
  from: Date | 'beginning',
  io: CliIo,
  appToHost: AppToHost,
  commandPath = 'replay',
): Promise<number> {
  refuseWhileDevHostRuns(connection);
  return withHostedApp(connection, io, appToHost, async (app, context) => {
    const definition = definitionOf(app, appToHost.source, processor, commandPath);
    const rewound = await rewindCheckpoints(
      { leases: context.containers.leases, name: definition.processorName },
      from,
    );
    io.stderr.write(
      `Rewound ${rewound} lease(s) of ${processor} to ${from === 'beginning' ? 'the beginning' : from.toISOString()}.\n`,
    );
    const result = await runUntilCaughtUp(definition, context, {
      label: `replay ${processor}`,
      progress: io.stderr,
      log: (line) => io.stderr.write(`${line}\n`),
      interrupted: io.waitForInterrupt(),
    });
    if (result.interrupted) {
      io.stderr.write(
        `The replay of ${processor} stopped part way; it continues from its checkpoints when it next runs.\n`,
      );
      return 1;
    }
    io.stdout.write(`Replayed ${processor}: ${result.events} event(s) handled, ${result.parked} stream(s) parked.\n`);
    return result.parked > 0 ? 1 : 0;
  });
}
