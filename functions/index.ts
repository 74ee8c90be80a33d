// The Azure Functions entry point (package.json "main"). Outside the Functions host, `@azure/functions` runs in
// test mode and every registration below is a no-op; tests call `registerBankFunctions` and the handlers directly.
import { app } from '@azure/functions';
import { createBankApp } from './app.ts';
import { cosmosClientFrom, summaryPublisherFrom } from './connections.ts';
import { registerBankFunctions } from './registrations.ts';
import { parseSettings } from './settings.ts';

const settings = parseSettings(process.env);
const bank = createBankApp({
  client: cosmosClientFrom(settings),
  databaseId: settings.cosmos.databaseId,
  publisher: summaryPublisherFrom(settings),
});

registerBankFunctions(app, bank, { databaseId: settings.cosmos.databaseId });
