import type { TokenCredential } from '@azure/core-auth';
import type { CosmosClient } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import { createCosmosClient } from '../src/store/index.ts';
import {
  createFileSummarySink,
  createKafkaSummaryPublisher,
  kafkaConfigFromBrokers,
  kafkaConfigFromEventHubsConnectionString,
  kafkaConfigFromEventHubsCredential,
  type SummaryPublisher,
} from '../src/summaries/index.ts';
import type { BankSettings } from './settings.ts';

/**
 * The Cosmos DB client: with a key when one is configured (local server, official emulator), otherwise with
 * Microsoft Entra ID (in Azure: the Function App's managed identity; on a laptop: `az login`).
 */
export function cosmosClientFrom(settings: BankSettings, credential?: TokenCredential): CosmosClient {
  const { endpoint, key } = settings.cosmos;
  return createCosmosClient({
    endpoint,
    ...(key !== undefined ? { key } : { credential: credential ?? new DefaultAzureCredential() }),
  });
}

/** Where statement lines go: Event Hubs (identity or connection string), plain Kafka, or a local file. */
export function summaryPublisherFrom(settings: BankSettings, credential?: TokenCredential): SummaryPublisher {
  const target = settings.summaries;
  switch (target.kind) {
    case 'eventHubsIdentity':
      return createKafkaSummaryPublisher({
        config: kafkaConfigFromEventHubsCredential(target.namespace, credential ?? new DefaultAzureCredential()),
      });
    case 'eventHubsConnectionString':
      return createKafkaSummaryPublisher({ config: kafkaConfigFromEventHubsConnectionString(target.connectionString) });
    case 'kafkaBrokers':
      return createKafkaSummaryPublisher({ config: kafkaConfigFromBrokers(target.brokers) });
    case 'file':
      return createFileSummarySink({ directory: target.directory });
  }
}
