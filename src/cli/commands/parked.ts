import { appOption, appToHost } from '../app-option.ts';
import type { Command } from '../command.ts';
import { connectionOptions, withConnection } from '../connection.ts';

const listCommand: Command = {
  name: 'list',
  summary: 'List streams parked in the dead-letter container, with their errors.',
  options: {
    ...connectionOptions,
    processor: { type: 'string', valueName: '<name>', description: 'Only this processor (default: all).' },
    json: { type: 'boolean', description: 'Print JSON.' },
  },
  async run(args, context) {
    const { printParked } = await import('../parked-tools.ts');
    return withConnection(args, context, (connection) =>
      printParked(connection, {
        processor: typeof args.values.processor === 'string' ? args.values.processor : undefined,
        json: args.values.json === true,
        out: context.io.stdout,
      }),
    );
  },
};

const replayCommand: Command = {
  name: 'replay',
  summary: "Run a parked stream's events through its handler again (after a fix) and unpark it.",
  positionals: [{ name: 'stream', required: true, description: 'the parked stream, e.g. Account-42' }],
  options: {
    ...connectionOptions,
    ...appOption,
    processor: {
      type: 'string',
      valueName: '<name>',
      description: 'The processor it is parked for (needed when several).',
    },
  },
  examples: [
    'tributary parked replay Account-42',
    'tributary parked replay Account-42 --processor projection-account-balance@1',
  ],
  async run(args, context) {
    const { replayParked } = await import('../parked-tools.ts');
    return withConnection(args, context, (connection) =>
      replayParked(connection, args.positionals[0]!, {
        processor: typeof args.values.processor === 'string' ? args.values.processor : undefined,
        out: context.io.stdout,
        io: context.io,
        app: () => appToHost(args, context),
      }),
    );
  },
};

export const parkedCommand: Command = {
  name: 'parked',
  summary: 'List parked streams or replay one.',
  subcommands: [listCommand, replayCommand],
};
