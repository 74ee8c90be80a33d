import { resolve } from 'node:path';
import {
  createFileSummarySink,
  createKafkaSummaryPublisher,
  kafkaConfigFromBrokers,
  kafkaConfigFromEventHubsConnectionString,
  type SummaryPublisher,
} from '../summaries/index.ts';
import type { DevHostConfig } from './config.ts';
import type { PublisherHealth } from './dashboard-model.ts';
import { watchPublisher } from './publisher-health.ts';
import type { RecentSummaries } from './recent-summaries.ts';

/** Where summaries go, as it may be shown: never the connection string itself. */
export interface SummarySinkDescription {
  readonly kind: 'file' | 'kafka' | 'event-hubs';
  readonly target: string;
}

/** The namespace host of an Event Hubs connection string (`Endpoint=sb://<ns>.servicebus.windows.net/;...`). */
function eventHubsNamespace(connectionString: string): string {
  const endpoint = /Endpoint=sb:\/\/([^/;]+)/i.exec(connectionString)?.[1];
  return endpoint ?? 'the namespace in EVENTHUBS_CONNECTION_STRING';
}

/**
 * Summaries go to Event Hubs when `EVENTHUBS_CONNECTION_STRING` is set, to Kafka when `KAFKA_BROKERS` is, else to
 * JSON-lines files under `<dataDir>/summaries/`. Every published summary is also remembered for the dashboard.
 */
export function createDevSummarySink(
  config: DevHostConfig,
  cwd: string,
  recent: RecentSummaries,
): {
  publisher: SummaryPublisher;
  description: SummarySinkDescription;
  directory: string | undefined;
  health: () => PublisherHealth;
} {
  let inner: SummaryPublisher;
  let description: SummarySinkDescription;
  let directory: string | undefined;
  if (config.eventHubsConnectionString) {
    inner = createKafkaSummaryPublisher({
      config: kafkaConfigFromEventHubsConnectionString(config.eventHubsConnectionString),
    });
    description = {
      kind: 'event-hubs',
      target: `${eventHubsNamespace(config.eventHubsConnectionString)} (Kafka endpoint)`,
    };
  } else if (config.kafkaBrokers) {
    const brokers = config.kafkaBrokers.split(',').map((broker) => broker.trim());
    inner = createKafkaSummaryPublisher({ config: kafkaConfigFromBrokers(brokers) });
    description = { kind: 'kafka', target: brokers.join(',') };
  } else {
    directory = resolve(cwd, config.dataDir, 'summaries');
    inner = createFileSummarySink({ directory });
    description = { kind: 'file', target: `${directory}/<topic>.jsonl` };
  }
  const watched = watchPublisher(inner);
  const publisher: SummaryPublisher = {
    async publish(record) {
      await watched.publisher.publish(record);
      recent.add({
        publishedAt: new Date().toISOString(),
        topic: record.topic,
        key: record.envelope.stream,
        version: record.envelope.version.toString(),
        value: record.body,
      });
    },
    close: () => inner.close(),
  };
  return { publisher, description, directory, health: watched.health };
}
