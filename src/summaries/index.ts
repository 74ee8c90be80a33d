export { type CompatibilityMode, compatibilityBreaks } from './compatibility.ts';
export { type CompatibilityBreak, type CompatibilityRule, ruleDescriptions } from './compatibility-rules.ts';
export { SummaryMessageUnreadable } from './consumer-errors.ts';
export type { ConsumerMessage } from './consumer-message.ts';
export type { PartitionLag } from './consumer-metrics.ts';
export {
  type ConsumerScheduler,
  type ConsumerSchedulerOptions,
  type ConsumerSchedulingOptions,
  type ConsumerStats,
  createConsumerScheduler,
} from './consumer-scheduler.ts';
export { defineSummaryContract, type SummaryContract } from './contract.ts';
export {
  type ContractCheck,
  type ContractVerdict,
  checkContract,
  contractsAgree,
  describeCheck,
  type PublishedSchema,
} from './contract-check.ts';
export {
  ContractSchemaUnrepresentable,
  InvalidContractFile,
  InvalidSummaryContract,
  TopicSharedByContracts,
} from './contract-errors.ts';
export { assertOneContractPerTopic, readCommittedSchemas, writeContractSchema } from './contract-files.ts';
export {
  type ContractIdentity,
  contractJsonSchema,
  contractSchemaPath,
  type JsonSchema,
  renderContractSchema,
} from './contract-schema.ts';
export { type CosmosLastSeenVersionsOptions, cosmosLastSeenVersions } from './cosmos-version-memory.ts';
export {
  InvalidKafkaConfig,
  SummaryPublishFailed,
  SummaryRejected,
  SummaryTooLarge,
  UnreadableSummary,
} from './errors.ts';
export {
  createEventHubsSummaryConsumer,
  type EventHubsSummaryConsumer,
  type EventHubsSummaryConsumerOptions,
  eventHubsMessage,
} from './event-hubs-consumer.ts';
export {
  createEventSummaryReactor,
  type EventDecoder,
  type EventSummaryContext,
  type EventSummaryReactorOptions,
  type TimelineEventSummaryReactorOptions,
} from './event-summary-reactor.ts';
export { createFileSummarySink, type FileSummary, readFileSummaries } from './file-sink.ts';
export {
  CloudEventHeaders,
  cloudEventType,
  envelopeHeaders,
  idempotencyKey,
  parseEnvelope,
  type SummaryEnvelope,
  SummaryHeaders,
} from './headers.ts';
export {
  type KafkaConfigOverrides,
  type KafkaLogEntry,
  kafkaConfigFromBrokers,
  kafkaConfigFromEventHubsConnectionString,
  kafkaConfigFromEventHubsCredential,
  maxSummaryMessageBytes,
  type SummaryKafkaConfig,
} from './kafka-config.ts';
export { createSummaryConsumer, type SummaryConsumer, type SummaryConsumerOptions } from './kafka-consumer.ts';
export {
  createKafkaSummaryPublisher,
  type KafkaSummaryPublisher,
  type KafkaSummaryPublisherOptions,
} from './kafka-publisher.ts';
export { KafkaUnavailable } from './kafkajs.ts';
export { type EncodedSummary, encodeSummary, type SummaryPublisher } from './publisher.ts';
export {
  createInMemoryLastSeenVersions,
  createSummaryReceiver,
  type LastSeenVersions,
  type ReceivedSummary,
  type ReceiveOutcome,
  type SummaryHandler,
  type SummaryHandlerOutcome,
  type SummaryReceiver,
  type UnreadableMessage,
  type UnreadableReason,
} from './receiver.ts';
export {
  type ContractRegistry,
  connectSchemaRegistry,
  type RegisteredSchema,
  type SchemaRegistryOptions,
  SchemaRegistryUnavailable,
} from './schema-registry.ts';
export {
  createSummaryReactor,
  type SummaryReactor,
  type SummaryReactorOptions,
  type SummarySource,
} from './summary-reactor.ts';
export type { SummaryRecord } from './summary-record.ts';
