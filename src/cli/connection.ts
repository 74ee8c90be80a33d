import type { OptionSpec, ParsedArgs } from './command.ts';
import type { CliContext } from './context.ts';
import type { CosmosConnection } from './open-connection.ts';

/** The options of every command that talks to Cosmos. */
export const connectionOptions: Readonly<Record<string, OptionSpec>> = {
  endpoint: {
    type: 'string',
    valueName: '<url>',
    description:
      'Cosmos DB endpoint (default: $COSMOS_ENDPOINT, else the local dev data). Signs in with $COSMOS_KEY when set, ' +
      'else with Microsoft Entra ID (az login, managed identity).',
  },
  database: {
    type: 'string',
    valueName: '<id>',
    description: 'Database id (default: $COSMOS_DATABASE or "tributary").',
  },
  'data-dir': { type: 'string', valueName: '<dir>', description: 'Local dev data directory (default: .tributary).' },
};

/** Runs `work` with an open connection and always closes it. */
export async function withConnection<T>(
  args: ParsedArgs,
  context: CliContext,
  work: (connection: CosmosConnection) => Promise<T>,
): Promise<T> {
  const { openConnection } = await import('./open-connection.ts');
  const connection = await openConnection(args, context);
  try {
    return await work(connection);
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code === 404 && /database|container|owner resource/i.test(String(message))) {
      const { DatabaseNotReady } = await import('./errors.ts');
      throw new DatabaseNotReady(connection.databaseId, connection.description, String(message).split('\n')[0] ?? '', {
        cause: error,
      });
    }
    if (connection.auth !== 'entra') throw error;
    const { accessError } = await import('../store/access-check.ts');
    throw accessError(error, connection.endpoint) ?? error;
  } finally {
    await connection.close();
  }
}
