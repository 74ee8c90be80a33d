import { z } from 'zod';

/**
 * The dev host's settings, read once from the environment (and CLI flags) at the edge. Secrets (`COSMOS_KEY`,
 * `EVENTHUBS_CONNECTION_STRING`) are kept here and never printed or served.
 */
export const DevHostConfig = z.object({
  /** HTTP port of the app API and the dashboard (7071, like the Functions host); 0 picks a free port. */
  port: z.coerce.number().int().min(0).max(65535).default(7071),
  /** Interface the HTTP server binds to. */
  host: z.string().min(1).default('127.0.0.1'),
  /** Where local data lives: the Cosmos server's files, the summary files, the running-host marker. */
  dataDir: z.string().min(1).default('.tributary'),
  /** A Cosmos account (or the official emulator) to use instead of the embedded server. */
  cosmosEndpoint: z.url().optional(),
  cosmosKey: z.string().min(1).optional(),
  /** Port of the embedded Cosmos server (8081, like the official emulator); 0 picks a free port. */
  cosmosPort: z.coerce.number().int().min(0).max(65535).default(8081),
  /** Physical partitions (feed ranges) of the embedded server's new containers. */
  cosmosPartitions: z.coerce.number().int().min(1).max(64).default(1),
  databaseId: z.string().min(1).default('tributary'),
  /** Plain Kafka bootstrap servers, comma-separated (e.g. a local broker). */
  kafkaBrokers: z.string().min(1).optional(),
  /** An Event Hubs namespace connection string: summaries go to its Kafka endpoint. */
  eventHubsConnectionString: z.string().min(1).optional(),
  /**
   * Web origins (scheme://host[:port]) allowed to call the API from a browser (CORS), comma-separated; none by
   * default, so no page of another site can read or write the local app.
   */
  corsOrigins: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
    )
    .pipe(z.array(z.url())),
  /** `azurite`: start Azurite (blobs under the data directory) and run the archiver into it; `off` by default. */
  archive: z.enum(['off', 'azurite']).default('off'),
  /** Port of Azurite's blob service when `archive` is `azurite` (10000, Azurite's default); 0 picks a free port. */
  archivePort: z.coerce.number().int().min(0).max(65535).default(10000),
  /**
   * `on` (default): spans are kept in memory for the dashboard's journey view and exported where the environment
   * says (OTLP, Application Insights); `console` prints them too; `off`: no tracing.
   */
  tracing: z.enum(['on', 'off', 'console']).default('on'),
  /** How often lag is sampled for the dashboard's chart, in ms. */
  lagSampleIntervalMs: z.coerce.number().int().min(100).default(1000),
});
export type DevHostConfig = z.infer<typeof DevHostConfig>;
export type DevHostConfigInput = z.input<typeof DevHostConfig>;

/** Reads the settings from environment variables (empty values count as unset). */
export function devHostConfigFromEnv(env: Readonly<Record<string, string | undefined>>): DevHostConfigInput {
  const read = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  return {
    port: read('PORT'),
    dataDir: read('TRIBUTARY_DATA_DIR'),
    cosmosEndpoint: read('COSMOS_ENDPOINT'),
    cosmosKey: read('COSMOS_KEY'),
    cosmosPort: read('COSMOS_PORT'),
    databaseId: read('COSMOS_DATABASE'),
    kafkaBrokers: read('KAFKA_BROKERS'),
    eventHubsConnectionString: read('EVENTHUBS_CONNECTION_STRING'),
    corsOrigins: read('TRIBUTARY_CORS_ORIGINS'),
    // checked by DevHostConfig.parse like every other value here
    archive: read('TRIBUTARY_ARCHIVE') as DevHostConfigInput['archive'],
    archivePort: read('AZURITE_BLOB_PORT'),
    tracing: read('TRIBUTARY_TRACING') as DevHostConfigInput['tracing'],
  };
}
