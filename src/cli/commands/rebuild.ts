import { appOption, appToHost } from '../app-option.ts';
import type { Command } from '../command.ts';
import { connectionOptions, withConnection } from '../connection.ts';
import { DevHostRunning } from '../errors.ts';
import { acceptedTimes, describeStart, timeOrBeginning } from '../time-option.ts';
import { UsageError } from '../usage-error.ts';

export const rebuildCommand: Command = {
  name: 'rebuild',
  summary: "Rebuild a projection's views from the beginning of the change feed, with a progress bar.",
  description:
    "Deletes the projection's views and checkpoints, then runs it in this process from the beginning of the\n" +
    'events until it has caught up, writing its views again; progress goes to stderr. Stop the dev host first\n' +
    '(rebuild refuses to run while it runs on the same data): both would write the same views.',
  positionals: [
    {
      name: 'projection',
      required: true,
      description: "the projection's name or its processor name (e.g. account-balance)",
    },
  ],
  options: {
    ...connectionOptions,
    ...appOption,
    from: {
      type: 'string',
      valueName: '<beginning|archive>',
      description:
        'Where to read history from (default: beginning of the change feed). "archive" reads the archive first ' +
        "(TRIBUTARY_ARCHIVE_URL, TRIBUTARY_ARCHIVE_CONTAINER) and switches to the feed at the archiver's checkpoint.",
    },
    archiver: {
      type: 'string',
      valueName: '<name>',
      description: 'The archiver whose archive to read (default: archive).',
    },
  },
  examples: [
    'tributary rebuild account-balance',
    'tributary rebuild account-balance --from archive',
    'tributary rebuild order-view --app ./dist/app.js',
    'tributary rebuild projection-account-statement@1',
  ],
  async run(args, context) {
    const from = args.values.from ?? 'beginning';
    if (from !== 'beginning' && from !== 'archive') {
      throw new UsageError(
        `--from must be "beginning" or "archive", got ${JSON.stringify(from)}.`,
        context.commandPath,
      );
    }
    const app = await appToHost(args, context);
    if (from === 'archive') {
      const { rebuildFromArchive } = await import('../archive-rebuild.ts');
      const archiver = typeof args.values.archiver === 'string' ? args.values.archiver : undefined;
      return withConnection(args, context, (connection) => {
        if (connection.viaDevHost) throw new DevHostRunning();
        return rebuildFromArchive(connection, args.positionals[0]!, context.io, app, {
          commandPath: context.commandPath,
          ...(archiver === undefined ? {} : { archiver }),
        });
      });
    }
    const { rebuildProjection } = await import('../rebuild-tools.ts');
    return withConnection(args, context, (connection) =>
      rebuildProjection(connection, args.positionals[0]!, context.io, app, context.commandPath),
    );
  },
};

export const replayCommand: Command = {
  name: 'replay',
  summary: 'Run a processor over the events again from a time or the beginning, with a progress bar.',
  description:
    "Rewinds the processor's checkpoints to --from and runs it in this process until it has caught up with the\n" +
    'change feed; progress goes to stderr. Handlers must be idempotent. Stop the dev host first.',
  positionals: [
    { name: 'processor', required: true, description: 'the processor name (see `tributary checkpoints list`)' },
  ],
  options: {
    ...connectionOptions,
    ...appOption,
    from: {
      type: 'string',
      valueName: '<time|beginning>',
      description: `Where to start (default: beginning): "beginning", ${acceptedTimes}.`,
    },
  },
  examples: [
    'tributary replay reactor-statement-lines',
    'tributary replay reactor-transfer-process --from 2026-01-31T12:00:00Z',
  ],
  async run(args, context) {
    const from = typeof args.values.from === 'string' ? args.values.from : 'beginning';
    const position = timeOrBeginning('from', from, context.commandPath);
    const app = await appToHost(args, context);
    context.io.stderr.write(`Replaying ${args.positionals[0]} from ${describeStart(position)}.\n`);
    const { replayProcessor } = await import('../rebuild-tools.ts');
    return withConnection(args, context, (connection) =>
      replayProcessor(connection, args.positionals[0]!, position, context.io, app, context.commandPath),
    );
  },
};
