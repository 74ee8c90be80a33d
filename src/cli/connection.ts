import type { CosmosClient } from '@azure/cosmos';
import type { OptionSpec, ParsedArgs } from './command.ts';
import type { CliContext } from './context.ts';

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

/** An open connection to the database the command works on; `close()` also stops an in-process local server. */
export interface CosmosConnection {
  readonly client: CosmosClient;
  readonly endpoint: string;
  readonly databaseId: string;
  /** where the data is, for messages: `the local dev data in .tributary` or the endpoint */
  readonly description: string;
  /** the connection goes through a running dev host's server (whose processors are running) */
  readonly viaDevHost: boolean;
  /** the running dev host's HTTP base URL when `viaDevHost` (its dashboard API can act on its processors) */
  readonly devHostUrl: string | undefined;
  /** how requests are signed: the account key, or Microsoft Entra ID tokens */
  readonly auth: 'key' | 'entra';
  close(): Promise<void>;
}

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
