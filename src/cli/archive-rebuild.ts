import { type ArchiveBlobs, defaultArchiveContainer, openBlobArchive, replayArchiveFor } from '../archive/index.ts';
import { deleteProcessor } from '../feed/index.ts';
import { createStreamScheduler } from '../streams/index.ts';
import type { AppToHost } from './app-option.ts';
import { runUntilCaughtUp } from './catch-up.ts';
import type { CliIo } from './context.ts';
import { withHostedApp } from './hosted-app-session.ts';
import type { CosmosConnection } from './open-connection.ts';
import { createProgressBar } from './progress.ts';
import { definitionOf } from './rebuild-tools.ts';
import { UsageError } from './usage-error.ts';

/**
 * The archive named by the environment: `TRIBUTARY_ARCHIVE_URL` (the storage account's blob endpoint, signed in with
 * Entra ID) or, for Azurite only, `TRIBUTARY_ARCHIVE_CONNECTION_STRING`; `TRIBUTARY_ARCHIVE_CONTAINER` (default
 * `archive`).
 */
export async function archiveFromEnv(io: CliIo, commandPath: string): Promise<ArchiveBlobs> {
  const container = io.env.TRIBUTARY_ARCHIVE_CONTAINER ?? defaultArchiveContainer;
  const connectionString = io.env.TRIBUTARY_ARCHIVE_CONNECTION_STRING;
  const accountUrl = io.env.TRIBUTARY_ARCHIVE_URL;
  if (connectionString !== undefined) return openBlobArchive({ connectionString, container });
  if (accountUrl !== undefined) {
    return openBlobArchive({ accountUrl, container, ...(io.credential ? { credential: io.credential } : {}) });
  }
  throw new UsageError(
    '--from archive needs the archive: set TRIBUTARY_ARCHIVE_URL (https://<account>.blob.core.windows.net, ' +
      'Entra ID) and optionally TRIBUTARY_ARCHIVE_CONTAINER (default "archive").',
    commandPath,
  );
}

/**
 * Rebuilds a projection from the archive, then the change feed: deletes its views and checkpoints, hands it every
 * archived event (progress in segments), takes the archiver's checkpoints as its own, and runs it on the feed until
 * it has caught up (progress in changes).
 */
export async function rebuildFromArchive(
  connection: CosmosConnection,
  projection: string,
  io: CliIo,
  appToHost: AppToHost,
  options: { readonly archiver?: string; readonly commandPath: string },
): Promise<number> {
  const blobs = await archiveFromEnv(io, options.commandPath);
  return withHostedApp(connection, io, appToHost, async (app, context) => {
    const definition = definitionOf(app, appToHost.source, projection, options.commandPath, 'projection');
    const cleared = definition.clearViews ? await definition.clearViews() : 0;
    await deleteProcessor({ leases: context.containers.leases, name: definition.processorName });
    io.stderr.write(`Deleted ${cleared} view(s) of ${projection}; rebuilding from the archive ${blobs.where}.\n`);
    const scheduler = createStreamScheduler({
      name: definition.processorName,
      handle: definition.handle,
      parking: { deadLetters: context.containers.deadLetters, afterAttempts: 5 },
    });
    const bar = createProgressBar(io.stderr, `rebuild ${projection} from the archive`, { unit: 'segments' });
    let archived = 0;
    try {
      const replayed = await replayArchiveFor(definition.processorName, scheduler, {
        leases: context.containers.leases,
        blobs,
        ...(options.archiver === undefined ? {} : { archiver: options.archiver }),
        onProgress: (progress) => bar.update(progress.segmentsDone, progress.segments),
      });
      archived = replayed?.events ?? 0;
      bar.finish(
        `${archived} archived event(s) applied; continuing from the archiver's checkpoint on the change feed.`,
      );
    } finally {
      scheduler.close();
    }
    const parkedFromArchive = scheduler.stats().streams.parked;
    const result = await runUntilCaughtUp(definition, context, {
      label: `rebuild ${projection} from the feed`,
      progress: io.stderr,
      log: (line) => io.stderr.write(`${line}\n`),
      interrupted: io.waitForInterrupt(),
    });
    if (result.interrupted) {
      io.stderr.write(
        `The rebuild of ${projection} stopped on the feed; it continues from its checkpoints next run.\n`,
      );
      return 1;
    }
    io.stdout.write(
      `Rebuilt ${projection}: ${archived} event(s) from the archive, ${result.events} from the feed, ` +
        `${parkedFromArchive + result.parked} stream(s) parked.\n`,
    );
    return parkedFromArchive + result.parked > 0 ? 1 : 0;
  });
}
