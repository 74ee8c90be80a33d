import type { Command, OptionSpec } from '../command.ts';
import { connectionOptions, withConnection } from '../connection.ts';
import { acceptedTimes, timeOrBeginning } from '../time-option.ts';
import { UsageError } from '../usage-error.ts';

const processorOption: Readonly<Record<string, OptionSpec>> = {
  processor: { type: 'string', valueName: '<name>', description: 'The processor (see `tributary checkpoints list`).' },
};

function requiredProcessor(values: Readonly<Record<string, string | boolean | undefined>>, path: string): string {
  if (typeof values.processor !== 'string' || values.processor === '') {
    throw new UsageError("Missing --processor <name>: which processor's checkpoints to change.", path);
  }
  return values.processor;
}

const listCommand: Command = {
  name: 'list',
  summary: 'List processors, their leases (owner, renewal) and checkpoints.',
  options: {
    ...connectionOptions,
    processor: { type: 'string', valueName: '<name>', description: 'Only this processor (default: all).' },
    json: { type: 'boolean', description: 'Print JSON.' },
  },
  async run(args, context) {
    const { printCheckpoints } = await import('../processor-tools.ts');
    return withConnection(args, context, (connection) =>
      printCheckpoints(connection, {
        processor: typeof args.values.processor === 'string' ? args.values.processor : undefined,
        json: args.values.json === true,
        out: context.io.stdout,
      }),
    );
  },
};

const rewindCommand: Command = {
  name: 'rewind',
  summary: "Move a processor's checkpoints back to a time or to the beginning.",
  description:
    'Moves every checkpoint of a processor back so that it handles events again from --to onwards.\n' +
    'Handlers must be idempotent (projections are). Takes effect when the processor next acquires its leases:\n' +
    'stop the processor (or the dev host) first.',
  options: {
    ...connectionOptions,
    ...processorOption,
    to: {
      type: 'string',
      valueName: '<time|beginning>',
      description: `"beginning", ${acceptedTimes}.`,
    },
  },
  examples: [
    'tributary checkpoints rewind --processor projection-account-balance@1 --to beginning',
    'tributary checkpoints rewind --processor reactor-statement-lines --to 2026-01-31T12:00:00Z',
  ],
  async run(args, context) {
    const processor = requiredProcessor(args.values, context.commandPath);
    const to = args.values.to;
    if (typeof to !== 'string') throw new UsageError('Missing --to <time|beginning>.', context.commandPath);
    const position = timeOrBeginning('to', to, context.commandPath);
    const { rewind } = await import('../processor-tools.ts');
    return withConnection(args, context, (connection) =>
      rewind(connection, processor, position, context.io.stdout, context.io.stderr),
    );
  },
};

const resetCommand: Command = {
  name: 'reset',
  summary: "Forget a processor's checkpoints: it starts again from its configured start position.",
  options: { ...connectionOptions, ...processorOption },
  examples: ['tributary checkpoints reset --processor projection-account-statement@1'],
  async run(args, context) {
    const processor = requiredProcessor(args.values, context.commandPath);
    const { reset } = await import('../processor-tools.ts');
    return withConnection(args, context, (connection) => reset(connection, processor, context.io.stdout));
  },
};

export const checkpointsCommand: Command = {
  name: 'checkpoints',
  summary: 'List, rewind or reset the checkpoints of change-feed processors.',
  subcommands: [listCommand, rewindCommand, resetCommand],
};
