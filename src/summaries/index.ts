export { defineSummaryContract, type SummaryContract } from './contract.ts';
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
export { envelopeHeaders, idempotencyKey, parseEnvelope, type SummaryEnvelope, SummaryHeaders } from './headers.ts';
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
export { type EncodedSummary, encodeSummary, type SummaryPublisher, type SummaryRecord } from './publisher.ts';
export {
  createInMemoryLastSeenVersions,
  createSummaryReceiver,
  type LastSeenVersions,
  type ReceivedSummary,
  type ReceiveOutcome,
  type SummaryReceiver,
} from './receiver.ts';
export {
  createSummaryReactor,
  type SummaryReactor,
  type SummaryReactorOptions,
  type SummarySource,
} from './summary-reactor.ts';
