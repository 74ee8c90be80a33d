import type { CosmosClient } from '@azure/cosmos';
import { tributaryContainers } from '../store/index.ts';
import { checkHostedApp } from './app-module.ts';
import { DevHostConfig, devHostConfigFromEnv } from './config.ts';
import type { HostedApp, HostedAppContext, HostedAppFactory } from './hosted-app.ts';
import { createRecentSummaries } from './recent-summaries.ts';
import { createDevSummarySink } from './summary-sink.ts';

/**
 * An app built outside the dev host, for tools that run its handlers (replaying a parked stream, rebuilding a
 * projection): the same containers and the same summary sink the dev host would use with this environment.
 */
export async function openHostedApp(options: {
  readonly client: CosmosClient;
  readonly databaseId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly app: HostedAppFactory;
  /** how to name the app in errors, e.g. its module path */
  readonly source?: string;
}): Promise<{ app: HostedApp; context: HostedAppContext; close(): Promise<void> }> {
  const config = DevHostConfig.parse(devHostConfigFromEnv(options.env));
  const sink = await createDevSummarySink(config, options.cwd, createRecentSummaries());
  const database = options.client.database(options.databaseId);
  const context: HostedAppContext = {
    client: options.client,
    databaseId: options.databaseId,
    containers: tributaryContainers(database),
    summaries: sink.publisher,
  };
  let app: HostedApp;
  try {
    app = checkHostedApp(await options.app(context), options.source ?? 'the app');
  } catch (error) {
    await sink.publisher.close();
    throw error;
  }
  return {
    app,
    context,
    async close() {
      await app.close?.();
      await sink.publisher.close();
    },
  };
}
