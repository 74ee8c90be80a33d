import type { Command } from '../command.ts';
import { checkpointsCommand } from './checkpoints.ts';
import { consumeCommand } from './consume.ts';
import { contractsCommand } from './contracts.ts';
import { cosmosCommand } from './cosmos.ts';
import { dashboardCommand } from './dashboard.ts';
import { devCommand } from './dev.ts';
import { initCommand } from './init.ts';
import { lagCommand } from './lag.ts';
import { parkedCommand } from './parked.ts';
import { rebuildCommand, replayCommand } from './rebuild.ts';
import { dumpCommand, streamsCommand } from './streams.ts';

export const rootCommand: Command = {
  name: 'tributary',
  summary: 'Event sourcing on Azure Cosmos DB: run the dev host, inspect streams, manage processors.',
  description:
    'tributary — event sourcing on Azure Cosmos DB.\n\n' +
    'Commands connect to $COSMOS_ENDPOINT (or --endpoint) with $COSMOS_KEY, or without a key through Microsoft\n' +
    'Entra ID (az login, a managed identity); with neither they work on the local dev data in .tributary/\n' +
    '(through the running dev host when there is one). dev, rebuild, replay, parked replay and contracts run\n' +
    'your app: --app <module>, $TRIBUTARY_APP, or "app" in tributary.config.json.\n' +
    'Exit codes: 0 ok, 1 the operation failed, 2 the command line or the configuration is wrong.',
  options: { version: { type: 'boolean', short: 'V', description: 'Print the version of tributary.' } },
  subcommands: [
    initCommand,
    cosmosCommand,
    devCommand,
    dashboardCommand,
    streamsCommand,
    dumpCommand,
    checkpointsCommand,
    lagCommand,
    rebuildCommand,
    replayCommand,
    parkedCommand,
    contractsCommand,
    consumeCommand,
  ],
  examples: [
    'tributary dev',
    'tributary dev --app ./dist/app.js',
    'tributary dump Account-42',
    'tributary checkpoints rewind --processor projection-account-balance@1 --to beginning',
  ],
};
