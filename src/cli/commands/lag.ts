import type { Command } from '../command.ts';
import { connectionOptions, withConnection } from '../connection.ts';

export const lagCommand: Command = {
  name: 'lag',
  summary: 'Show how far each processor is behind the change feed, per range.',
  options: {
    ...connectionOptions,
    processor: { type: 'string', valueName: '<name>', description: 'Only this processor (default: all).' },
    json: { type: 'boolean', description: 'Print JSON.' },
  },
  examples: ['tributary lag', 'tributary lag --processor projection-account-balance@1 --json'],
  async run(args, context) {
    const { printLag } = await import('../processor-tools.ts');
    return withConnection(args, context, (connection) =>
      printLag(connection, {
        processor: typeof args.values.processor === 'string' ? args.values.processor : undefined,
        json: args.values.json === true,
        out: context.io.stdout,
      }),
    );
  },
};
