import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

// zod is imported when the command runs, not when `--help` lists the commands.
async function cosmosArgs() {
  const { z } = await import('zod');
  const schema = z.object({
    port: z.coerce.number().int().min(0).max(65535).default(8081),
    partitions: z.coerce.number().int().min(1).max(64).optional(),
    data: z.string().min(1).optional(),
    key: z.base64().min(1).optional(),
    tls: z.string().min(1).optional(),
    'disable-local-auth': z.boolean().optional(),
  });
  return { schema, prettify: z.prettifyError };
}

export const cosmosCommand: Command = {
  name: 'cosmos',
  summary: "Run Tributary's local Cosmos DB server (in memory, or persisted with --data).",
  description:
    "Runs Tributary's local Cosmos DB server: the NoSQL REST API on 127.0.0.1 with the well-known emulator key\n" +
    '(or --key). Data stays in memory unless --data names a directory. Point the SDK (with\n' +
    '`connectionPolicy: { enableEndpointDiscovery: false }`) or `tributary --endpoint` at the printed endpoint.\n' +
    'Stops on Ctrl-C.',
  options: {
    port: {
      type: 'string',
      valueName: '<port>',
      description: 'TCP port on 127.0.0.1 (default 8081; 0 picks a free one).',
    },
    partitions: {
      type: 'string',
      valueName: '<n>',
      description: 'Physical partitions (feed ranges) per new container (default 1).',
    },
    data: { type: 'string', valueName: '<dir>', description: 'Persist to this directory (default: in memory).' },
    key: { type: 'string', valueName: '<base64>', description: 'Master key (default: the well-known emulator key).' },
    tls: {
      type: 'string',
      valueName: '<file>',
      description:
        'Serve https with a self-signed certificate, written to <file> for clients to trust ' +
        '(NODE_EXTRA_CA_CERTS=<file>); needed for Entra ID tokens.',
    },
    'disable-local-auth': {
      type: 'boolean',
      description: 'Refuse key-signed requests (403), like an account deployed with key auth disabled.',
    },
  },
  examples: [
    'tributary cosmos',
    'tributary cosmos --port 8082 --partitions 4 --data .tributary/cosmos',
    'tributary cosmos --tls cosmos.pem --disable-local-auth   # an account that takes only Entra ID tokens',
  ],
  async run(args, context) {
    const { schema, prettify } = await cosmosArgs();
    const parsed = schema.safeParse(args.values);
    if (!parsed.success) throw new UsageError(prettify(parsed.error), context.commandPath);
    const { port, partitions, data, key, tls, 'disable-local-auth': disableLocalAuth } = parsed.data;
    const { startLocalCosmos } = await import('../../emulator/index.ts');
    const dataDir = data === undefined ? undefined : resolve(context.io.cwd, data);
    const server = await startLocalCosmos({
      port,
      ...(partitions !== undefined ? { partitions } : {}),
      ...(dataDir !== undefined ? { dataDir } : {}),
      ...(key !== undefined ? { key } : {}),
      ...(tls !== undefined ? { tls: true } : {}),
      ...(disableLocalAuth ? { disableLocalAuth: true } : {}),
    });
    if (tls !== undefined && server.certificate) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(resolve(context.io.cwd, tls), server.certificate);
    }
    context.io.stdout.write(`${server.endpoint}\n`);
    context.io.stderr.write(
      `Local Cosmos DB server on ${server.endpoint} (${disableLocalAuth ? 'Entra ID tokens only' : key ? 'the key you gave' : 'the well-known emulator key'}; ` +
        `data ${dataDir ?? 'in memory'}). Press Ctrl-C to stop.\n`,
    );
    const signal = await context.io.waitForInterrupt();
    context.io.stderr.write(`${signal}: stopping the server.\n`);
    await server.close();
    return 0;
  },
};
