import { tracingOptionsFromEnv } from '../../tracing/env.ts';
import { appOption, appToHost } from '../app-option.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

/** Where each dev host setting comes from, for error messages (values are never echoed: some are secrets). */
const settingNames: Readonly<Record<string, string>> = {
  port: 'PORT (or --port)',
  cosmosPort: 'COSMOS_PORT (or --cosmos-port)',
  dataDir: 'TRIBUTARY_DATA_DIR (or --data-dir)',
  cosmosEndpoint: 'COSMOS_ENDPOINT',
  cosmosKey: 'COSMOS_KEY',
  databaseId: 'COSMOS_DATABASE',
  kafkaBrokers: 'KAFKA_BROKERS',
  eventHubsConnectionString: 'EVENTHUBS_CONNECTION_STRING',
  corsOrigins: 'TRIBUTARY_CORS_ORIGINS',
  tracing: 'TRIBUTARY_TRACING',
};

export const devCommand: Command = {
  name: 'dev',
  summary: "Run the local dev host: Cosmos server, your app's API and processors, the dashboard.",
  description:
    "Runs everything in one process: the local Cosmos DB server (data in .tributary/), your app's HTTP API, its\n" +
    "projections and reactors on Tributary's change-feed processor, summaries (Kafka when configured, else JSON\n" +
    'lines under .tributary/summaries/) and the dashboard. Stops cleanly on Ctrl-C. The app is the module named by\n' +
    '--app, $TRIBUTARY_APP or the "app" of tributary.config.json; its default export is the app factory.\n\n' +
    'Environment:\n' +
    '  PORT                          HTTP port of the API and dashboard (default 7071)\n' +
    '  COSMOS_ENDPOINT, COSMOS_KEY   use this account (or the official emulator) instead of the local server\n' +
    '  COSMOS_DATABASE               database id (default tributary)\n' +
    '  COSMOS_PORT                   port of the local server (default 8081)\n' +
    '  KAFKA_BROKERS                 publish summaries to these Kafka brokers\n' +
    '  EVENTHUBS_CONNECTION_STRING   publish summaries to Event Hubs (its Kafka endpoint)\n' +
    '  TRIBUTARY_CORS_ORIGINS        web origins allowed to call the API from a browser (default none)\n' +
    '  TRIBUTARY_TRACING             on (default: spans for the journey view), console (print them too) or off\n' +
    '  OTEL_EXPORTER_OTLP_ENDPOINT   send traces to this OTLP/HTTP collector too\n' +
    '  APPLICATIONINSIGHTS_CONNECTION_STRING  send traces to Application Insights too',
  options: {
    ...appOption,
    port: {
      type: 'string',
      valueName: '<port>',
      description: 'HTTP port (default: $PORT or 7071; 0 picks a free one).',
    },
    'cosmos-port': {
      type: 'string',
      valueName: '<port>',
      description: 'Port of the local Cosmos server (default: $COSMOS_PORT or 8081; 0 picks a free one).',
    },
    'data-dir': { type: 'string', valueName: '<dir>', description: 'Local data directory (default .tributary).' },
  },
  examples: [
    'tributary dev --app ./dist/app.js',
    'PORT=8080 tributary dev',
    'KAFKA_BROKERS=localhost:9092 tributary dev',
  ],
  async run(args, context) {
    const { DevHostConfig, devHostConfigFromEnv, startDevHost, describeDevHost } = await import('../../dev/index.ts');
    const flags = {
      ...(args.values.port !== undefined ? { port: args.values.port } : {}),
      ...(args.values['cosmos-port'] !== undefined ? { cosmosPort: args.values['cosmos-port'] } : {}),
      ...(args.values['data-dir'] !== undefined ? { dataDir: args.values['data-dir'] } : {}),
    };
    const parsed = DevHostConfig.safeParse({ ...devHostConfigFromEnv(context.io.env), ...flags });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        return `${settingNames[key] ?? key}: ${issue.message}`;
      });
      throw new UsageError(`Invalid settings: ${problems.join('; ')}.`, context.commandPath);
    }
    const app = await appToHost(args, context);
    const host = await startDevHost(parsed.data, {
      app: app.factory,
      appSource: app.source,
      cwd: context.io.cwd,
      log: (line) => context.io.stderr.write(`${line}\n`),
      tracing: tracingOptionsFromEnv(context.io.env),
    });
    context.io.stdout.write(describeDevHost(host));
    const signal = await context.io.waitForInterrupt();
    context.io.stderr.write(`${signal}: stopping the dev host…\n`);
    await host.close();
    context.io.stderr.write('Stopped.\n');
    return 0;
  },
};
