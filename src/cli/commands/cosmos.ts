import { resolve } from 'node:path';
import { z } from 'zod';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

const cosmosArgs = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8081),
  partitions: z.coerce.number().int().min(1).max(64).default(1),
  'data-dir': z.string().min(1).optional(),
  'in-memory': z.boolean().default(false),
});

export const cosmosCommand: Command = {
  name: 'cosmos',
  summary: 'Run the local Cosmos DB server (the same one `npm run cosmos` starts).',
  description:
    "Runs Tributary's local Cosmos DB server: the NoSQL REST API on 127.0.0.1, the well-known emulator key, data\n" +
    'persisted in a directory. Point the SDK (or any tool) at the printed endpoint. Stops on Ctrl-C.',
  options: {
    port: { type: 'string', valueName: '<port>', description: 'TCP port on 127.0.0.1 (default 8081; 0 picks a free one).' },
    partitions: { type: 'string', valueName: '<n>', description: 'Physical partitions (feed ranges) per new container (default 1).' },
    'data-dir': { type: 'string', valueName: '<dir>', description: 'Where data persists (default .tributary/cosmos).' },
    'in-memory': { type: 'boolean', description: 'Keep nothing on disk.' },
  },
  examples: ['tributary cosmos', 'tributary cosmos --port 8082 --partitions 4 --in-memory'],
  async run(args, context) {
    const parsed = cosmosArgs.safeParse(args.values);
    if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error), context.commandPath);
    const options = parsed.data;
    const { startLocalCosmos } = await import('../../emulator/index.ts');
    const dataDir = options['in-memory'] ? undefined : resolve(context.io.cwd, options['data-dir'] ?? '.tributary/cosmos');
    const server = await startLocalCosmos({
      port: options.port,
      partitions: options.partitions,
      ...(dataDir ? { dataDir } : {}),
    });
    context.io.stdout.write(
      `Local Cosmos DB server listening on ${server.endpoint}\n` +
        `  key:  the well-known emulator key\n` +
        `  data: ${dataDir ?? 'in memory'}\n` +
        'Press Ctrl-C to stop.\n',
    );
    const signal = await context.io.waitForInterrupt();
    context.io.stderr.write(`${signal}: stopping the server.\n`);
    await server.close();
    return 0;
  },
};
