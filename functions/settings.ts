import { z } from 'zod';
import { TributaryError } from '../src/core/index.ts';

/**
 * The environment the bank app reads, parsed once at the edge. In Azure, infra/modules/function-app.bicep sets these
 * (endpoints and names only); locally, the dev host or a shell does.
 */
export const SettingNames = {
  cosmosEndpoint: 'COSMOS_ENDPOINT',
  /** absent in Azure: the app then authenticates with its managed identity (DefaultAzureCredential) */
  cosmosKey: 'COSMOS_KEY',
  cosmosDatabase: 'COSMOS_DATABASE',
  /** fully qualified namespace, `<name>.servicebus.windows.net`: summaries go there with an Entra token */
  eventHubsNamespace: 'EVENTHUBS_NAMESPACE',
  /** alternative to the namespace: a SAS connection string (only where local auth is enabled) */
  eventHubsConnectionString: 'EVENTHUBS_CONNECTION_STRING',
  /** plain Kafka brokers (`host:port,…`) for local development */
  kafkaBrokers: 'KAFKA_BROKERS',
  /** directory of the JSON-lines summary file sink, used when no broker is configured */
  summaryDirectory: 'SUMMARY_DIRECTORY',
} as const;

/** The app setting prefix the Cosmos DB trigger binding reads (`<prefix>__accountEndpoint`, `<prefix>__credential`). */
export const cosmosTriggerConnection = 'COSMOS_CONNECTION';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const schema = z.object({
  [SettingNames.cosmosEndpoint]: z.url({
    message: 'must be the Cosmos DB account URL, e.g. https://<account>.documents.azure.com:443/',
  }),
  [SettingNames.cosmosKey]: optionalText,
  [SettingNames.cosmosDatabase]: z.string().trim().min(1).default('tributary'),
  [SettingNames.eventHubsNamespace]: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]+\.servicebus\.(windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)$/, {
      message: 'must be the fully qualified namespace, e.g. my-namespace.servicebus.windows.net',
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  [SettingNames.eventHubsConnectionString]: optionalText,
  [SettingNames.kafkaBrokers]: optionalText,
  [SettingNames.summaryDirectory]: z.string().trim().min(1).default('.tributary/summaries'),
});

/** Where statement-line summaries go, in order of preference. */
export type SummaryTarget =
  | { readonly kind: 'eventHubsIdentity'; readonly namespace: string }
  | { readonly kind: 'eventHubsConnectionString'; readonly connectionString: string }
  | { readonly kind: 'kafkaBrokers'; readonly brokers: readonly string[] }
  | { readonly kind: 'file'; readonly directory: string };

export interface BankSettings {
  readonly cosmos: { readonly endpoint: string; readonly key?: string | undefined; readonly databaseId: string };
  readonly summaries: SummaryTarget;
}

export class InvalidSettings extends TributaryError {
  readonly code = 'InvalidSettings';
  constructor(readonly problems: readonly string[]) {
    super(`The app settings are not valid: ${problems.join('; ')}.`);
  }
}

/** Parses the settings; throws `InvalidSettings` naming each bad setting (never echoing a secret's value). */
export function parseSettings(env: Readonly<Record<string, string | undefined>>): BankSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new InvalidSettings(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const values = parsed.data;
  const summaries: SummaryTarget = values.EVENTHUBS_NAMESPACE
    ? { kind: 'eventHubsIdentity', namespace: values.EVENTHUBS_NAMESPACE }
    : values.EVENTHUBS_CONNECTION_STRING
      ? { kind: 'eventHubsConnectionString', connectionString: values.EVENTHUBS_CONNECTION_STRING }
      : values.KAFKA_BROKERS
        ? { kind: 'kafkaBrokers', brokers: values.KAFKA_BROKERS.split(',').map((broker) => broker.trim()) }
        : { kind: 'file', directory: values.SUMMARY_DIRECTORY };
  return {
    cosmos: { endpoint: values.COSMOS_ENDPOINT, key: values.COSMOS_KEY, databaseId: values.COSMOS_DATABASE },
    summaries,
  };
}
