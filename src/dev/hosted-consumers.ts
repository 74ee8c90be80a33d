import type { Container } from '@azure/cosmos';
import type { StreamSchedulerOptions } from '../streams/index.ts';
import type { ConsumerScheduler, ConsumerStats } from '../summaries/consumer-scheduler.ts';
import type { SummaryContract } from '../summaries/contract.ts';
import type { SummaryKafkaConfig } from '../summaries/kafka-config.ts';
import type { createSummaryConsumer } from '../summaries/kafka-consumer.ts';
import type { LastSeenVersions, SummaryHandler } from '../summaries/receiver.ts';
import type { DevHostConfig } from './config.ts';

/**
 * A downstream consumer of one summary contract that the dev host runs beside the app's processors, on
 * `createSummaryConsumer`, when Kafka or Event Hubs is configured (the file sink has no consumer groups). Build one
 * with `hostedConsumer` so that its handler keeps the contract's body type.
 */
export interface HostedConsumerDefinition<T = unknown> {
  /** the consumer's name and Kafka consumer group; shown on the dashboard and in its dead letters */
  readonly name: string;
  readonly contract: SummaryContract<T>;
  /** called once per newer summary of a stream, in order per stream, several streams at a time */
  readonly handle: SummaryHandler<T>;
  /** the newest handled version per stream; in memory by default */
  readonly lastSeen?: LastSeenVersions;
  /** streams handled at once (each stays in order). Default 16 */
  readonly maxConcurrentStreams?: number;
  /** delay and bounds of a summary whose handler answered `notYet` */
  readonly notYet?: StreamSchedulerOptions['notYet'];
}

/** A consumer definition with its body type erased, as `HostedApp.consumers` lists it. */
export function hostedConsumer<T>(definition: HostedConsumerDefinition<T>): HostedConsumerDefinition {
  return definition as unknown as HostedConsumerDefinition;
}

/** A consumer the dev host runs. */
export interface HostedConsumer {
  readonly name: string;
  readonly topic: string;
  stats(): ConsumerStats;
  // the scheduler's type, not kafka-consumer.ts's: /dev's declarations must not need kafkajs's types
  readonly parked: ConsumerScheduler['parked'];
  stop(): Promise<void>;
}

const retryStartMs = 5_000;

async function kafkaConfigOf(config: DevHostConfig): Promise<SummaryKafkaConfig | undefined> {
  if (!config.eventHubsConnectionString && !config.kafkaBrokers) return undefined;
  const { kafkaConfigFromBrokers, kafkaConfigFromEventHubsConnectionString } = await import(
    '../summaries/kafka-config.ts'
  );
  if (config.eventHubsConnectionString)
    return kafkaConfigFromEventHubsConnectionString(config.eventHubsConnectionString);
  return kafkaConfigFromBrokers((config.kafkaBrokers ?? '').split(',').map((broker) => broker.trim()));
}

/**
 * Starts the app's consumers against the configured Kafka or Event Hubs (reading each topic from its oldest retained
 * summary on a new group); failing streams are retried and parked in the dead-letters container. Without a broker
 * none is started, and the log says why. kafkajs (an optional peer) is loaded only when there is one.
 */
export async function startHostedConsumers(
  definitions: readonly HostedConsumerDefinition[],
  config: DevHostConfig,
  options: {
    readonly deadLetters: Container;
    readonly parkAfterAttempts: number;
    readonly retryInitialDelayMs: number;
    readonly log: (line: string) => void;
  },
): Promise<HostedConsumer[]> {
  if (definitions.length === 0) return [];
  const kafka = await kafkaConfigOf(config);
  const names = definitions.map((definition) => definition.name).join(', ');
  if (kafka === undefined) {
    options.log(
      `Consumers not started (${names}): they read from Kafka; set KAFKA_BROKERS or EVENTHUBS_CONNECTION_STRING.`,
    );
    return [];
  }
  const { createSummaryConsumer } = await import('../summaries/kafka-consumer.ts');
  const started = definitions.map((definition) => startInBackground(definition, kafka, createSummaryConsumer, options));
  options.log(`Consumers: ${names} on ${[...new Set(definitions.map((d) => d.contract.topic))].join(', ')}`);
  return started;
}

/** Starts one consumer in the background, retried until it joins: a broker that is down must not stop the host. */
function startInBackground(
  definition: HostedConsumerDefinition,
  kafka: SummaryKafkaConfig,
  create: typeof createSummaryConsumer,
  options: Parameters<typeof startHostedConsumers>[2],
): HostedConsumer {
  const { name, contract } = definition;
  const consumer = create({
    config: kafka,
    groupId: name,
    name,
    contract,
    handle: definition.handle,
    ...(definition.lastSeen === undefined ? {} : { lastSeen: definition.lastSeen }),
    ...(definition.maxConcurrentStreams === undefined ? {} : { maxConcurrentStreams: definition.maxConcurrentStreams }),
    ...(definition.notYet === undefined ? {} : { notYet: definition.notYet }),
    retry: { initialDelayMs: options.retryInitialDelayMs },
    parking: { deadLetters: options.deadLetters, afterAttempts: options.parkAfterAttempts },
    onUnreadable: ({ problem }) => options.log(`Consumer ${name} parks a message it can't read: ${problem}`),
  });
  let stopped = false;
  let wake = () => {};
  const starting = (async () => {
    while (!stopped) {
      try {
        await consumer.start();
        return;
      } catch (error) {
        if (stopped) return;
        const reason = error instanceof Error ? error.message : String(error);
        options.log(`Consumer ${name} could not join its group (retrying in ${retryStartMs / 1000} s): ${reason}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryStartMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();
  return {
    name,
    topic: contract.topic,
    stats: () => consumer.stats(),
    parked: consumer.parked,
    async stop() {
      stopped = true;
      wake();
      // Stopping disconnects a start still connecting, which then gives up.
      await consumer.stop();
      await starting;
    },
  };
}
