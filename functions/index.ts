// The Azure Functions entry point (package.json "main"). Outside the Functions host, `@azure/functions` runs in
// test mode and every registration below is a no-op; tests call `registerBankFunctions` and the handlers directly.
import { app } from '@azure/functions';
import { DefaultAzureCredential } from '@azure/identity';
import { startTracing, tracingOptionsFromEnv } from '../src/tracing/index.ts';
import { createBankApp } from './app.ts';
import { cosmosClientFrom, summaryPublisherFrom } from './connections.ts';
import { registerBankFunctions } from './registrations.ts';
import { parseSettings } from './settings.ts';

const settings = parseSettings(process.env);

// Traces go to Application Insights when the app has its connection string (infra sets it, with Entra ID auth via
// the app's managed identity), or to an OTLP collector / the console when configured; otherwise nothing is started.
const tracing = tracingOptionsFromEnv(
  process.env,
  ({ clientId }) => new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}),
);
if (tracing) await startTracing({ serviceName: 'tributary-bank', ...tracing });

const bank = createBankApp({
  client: cosmosClientFrom(settings),
  databaseId: settings.cosmos.databaseId,
  publisher: summaryPublisherFrom(settings),
});

registerBankFunctions(app, bank, { databaseId: settings.cosmos.databaseId });
