import type { HostedApp, HostedAppContext } from '../dev/hosted-app.ts';
import { openHostedApp } from '../dev/tool-app.ts';
import type { AppToHost } from './app-option.ts';
import type { CliIo } from './context.ts';
import type { CosmosConnection } from './open-connection.ts';

/** Runs `work` with the user's app built on the connection (its handlers, containers and summary sink). */
export async function withHostedApp<T>(
  connection: CosmosConnection,
  io: CliIo,
  app: AppToHost,
  work: (app: HostedApp, context: HostedAppContext) => Promise<T>,
): Promise<T> {
  const opened = await openHostedApp({
    client: connection.client,
    databaseId: connection.databaseId,
    env: io.env,
    cwd: io.cwd,
    app: app.factory,
    source: app.source,
  });
  try {
    return await work(opened.app, opened.context);
  } finally {
    await opened.close();
  }
}
