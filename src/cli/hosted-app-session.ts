import { type HostedApp, type HostedAppContext, openHostedApp } from '../dev/index.ts';
import { bankApp } from './bank-app.ts';
import type { CosmosConnection } from './connection.ts';
import type { CliIo } from './context.ts';

/** Runs `work` with the sample app built on the connection (its handlers, containers and summary sink). */
export async function withHostedApp<T>(
  connection: CosmosConnection,
  io: CliIo,
  work: (app: HostedApp, context: HostedAppContext) => Promise<T>,
): Promise<T> {
  const opened = await openHostedApp({
    client: connection.client,
    databaseId: connection.databaseId,
    env: io.env,
    cwd: io.cwd,
    app: bankApp,
  });
  try {
    return await work(opened.app, opened.context);
  } finally {
    await opened.close();
  }
}
