import { resolve } from 'node:path';
import { createFileSummarySink } from '../summaries/file-sink.ts';
import type { SummaryPublisher } from '../summaries/publisher.ts';
import type { DevHostConfig } from './config.ts';
import type { PublisherHealth } from './dashboard-model.ts';
import { watchPublisher } from './publisher-health.ts';
import type { RecentSummaries } from './recent-summaries.ts';

/** Where summaries go, as it may be shown: never the connection string itself. */
export interface SummarySinkDescription {
  readonly kind: 'file' | 'kafka' | 'event-hubs';
  readonly target: string;
}

async function kafka() {
  const [publisher, config] = await Promise.all([
    import('../summaries/kafka-publisher.ts'),
    import('../summaries/kafka-config.ts'),
  ]);
  return { ...publisher, ...config };
}

/** The namespace host of an Event Hubs connection string (`Endpoint=sb://<ns>.servicebus.windows.net/;...`). */
function eventHubsNamespace(connectionString: string): string {
  const endpoint = /Endpoint=sb:\/\/([^/;]+)/i.exec(connectionString)?.[1];
  return endpoint ?? 'the namespace in EVENTHUBS_CONNECTION_STRING';
}

/**
 * Summaries go to Event Hubs when `EVENTHUBS_CONNECTION_STRING` is set, to Kafka when `KAFKA_BROKERS` is, else to
 * JSON-lines files under `<dataDir>/summaries/`. Every published summary is also remembered for the dashboard.
 * kafkajs (an optional peer) is loaded only when a broker is configured.
 */
export async function createDevSummarySink(
  config: DevHostConfig,
  cwd: string,
  recent: RecentSummaries,
): Promise<{
  publisher: SummaryPublisher;
  description: SummarySinkDescription;
  directory: string | undefined;
  health: () => PublisherHealth;
}> {
  let inner: SummaryPublisher;
  let description: SummarySinkDescription;
  let directory: string | undefined;
  if (config.eventHubsConnectionString) {
    const { createKafkaSummaryPublisher, kafkaConfigFromEventHubsConnectionString } = await kafka();
    inner = createKafkaSummaryPublisher({
      config: kafkaConfigFromEventHubsConnectionString(config.eventHubsConnectionString),
    });
    description = {
      kind: 'event-hubs',
      target: `${eventHubsNamespace(config.eventHubsConnectionString)} (Kafka endpoint)`,
    };
  } else if (config.kafkaBrokers) {
    const brokers = config.kafkaBrokers.split(',').map((broker) => broker.trim());
    const { createKafkaSummaryPublisher, kafkaConfigFromBrokers } = await kafka();
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
