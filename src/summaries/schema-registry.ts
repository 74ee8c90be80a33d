import type { TokenCredential } from '@azure/core-auth';
import { TributaryError } from '../core/index.ts';
import type { PublishedSchema } from './contract-check.ts';
import { type ContractIdentity, contractKeyword, type JsonSchema } from './contract-schema.ts';

/** `@azure/schema-registry` is an optional peer: it is loaded only by code that talks to a registry. */
export class SchemaRegistryUnavailable extends TributaryError {
  readonly code = 'SchemaRegistryUnavailable';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      `Azure Schema Registry can't be used: ${reason}. Install the optional peer with ` +
        '`npm install @azure/schema-registry`, or keep the committed contract files as the registry.',
      options,
    );
  }
}

/** What one `register` did: the registry's own version number may differ from the contract's. */
export interface RegisteredSchema {
  readonly topic: string;
  readonly contractVersion: number;
  readonly registryVersion: number;
  readonly id: string;
  readonly alreadyRegistered: boolean;
}

/** The schemas of one schema group, a schema per topic whose registry versions are the contract's versions. */
export interface ContractRegistry {
  /** every version registered under the topic's name, read until the first version the registry does not have */
  published(topic: string): Promise<PublishedSchema[]>;
  /** registers a contract version's schema, unless the same definition is registered already */
  register(topic: string, schema: PublishedSchema): Promise<RegisteredSchema>;
}

export interface SchemaRegistryOptions {
  /** the Event Hubs namespace, e.g. `contoso.servicebus.windows.net` */
  readonly namespace: string;
  readonly group: string;
  /** Entra ID (e.g. `DefaultAzureCredential`): Schema Registry Reader to check, Contributor to register */
  readonly credential: TokenCredential;
}

const jsonFormat = 'Json';

/**
 * Contracts in an Azure Schema Registry schema group, over `@azure/schema-registry`'s client: the schema's name is the
 * topic, its definition the exported JSON Schema text. A thin layer on purpose — it has not been run against Azure
 * from this repository, and the committed files stay the source the check trusts locally.
 */
export async function connectSchemaRegistry(options: SchemaRegistryOptions): Promise<ContractRegistry> {
  let sdk: typeof import('@azure/schema-registry');
  try {
    sdk = await import('@azure/schema-registry');
  } catch (error) {
    throw new SchemaRegistryUnavailable('the package @azure/schema-registry is not installed', { cause: error });
  }
  const endpoint = options.namespace.startsWith('https://') ? options.namespace : `https://${options.namespace}`;
  const client = new sdk.SchemaRegistryClient(endpoint, options.credential);
  const { group } = options;

  return {
    async published(topic) {
      const schemas: PublishedSchema[] = [];
      for (let version = 1; ; version++) {
        let definition: string;
        try {
          definition = (await client.getSchema(topic, group, version)).definition;
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) return schemas;
          throw error;
        }
        const document = JSON.parse(definition) as JsonSchema;
        const identity = document[contractKeyword] as ContractIdentity | undefined;
        schemas.push({
          version: identity?.version ?? version,
          document,
          location: `${options.namespace}/${group}/${topic} (registry version ${version})`,
        });
      }
    },
    async register(topic, schema) {
      const description = {
        groupName: group,
        name: topic,
        format: jsonFormat,
        definition: JSON.stringify(schema.document),
      };
      try {
        const existing = await client.getSchemaProperties(description);
        return registered(topic, schema.version, existing, true);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
      return registered(topic, schema.version, await client.registerSchema(description), false);
    },
  };
}

function registered(
  topic: string,
  contractVersion: number,
  properties: { id: string; version: number },
  alreadyRegistered: boolean,
): RegisteredSchema {
  return { topic, contractVersion, registryVersion: properties.version, id: properties.id, alreadyRegistered };
}
