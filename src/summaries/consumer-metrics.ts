import { type MeterProvider, metrics } from '@opentelemetry/api';

/** Where a partition stands: the newest offset written to it, the offset committed, and the difference. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: string;
  /** the next offset the broker will write (Kafka's high watermark); undefined until a fetch reported it */
  readonly newest: bigint | undefined;
  /** the offset last committed (the next message a restarted consumer reads) */
  readonly committed: bigint | undefined;
  /** messages read but not handled or parked yet */
  readonly inFlight: number;
  /** `newest - committed`: what a restart would read again or still has to read */
  readonly lag: number;
}

/**
 * The consumer's lag per partition as an OpenTelemetry gauge (meter `tributary`, `tributary.consumer.lag`, attributes
 * consumer, topic, partition), read from the consumer's own numbers when the exporter collects.
 */
export function createConsumerLagMetrics(
  provider: MeterProvider | undefined,
  name: string,
  snapshot: () => readonly PartitionLag[],
): { close(): void } {
  const meter = (provider ?? metrics.getMeterProvider()).getMeter('tributary');
  const gauge = meter.createObservableGauge('tributary.consumer.lag', {
    description: 'Messages of a partition past the committed offset (newest offset minus committed offset)',
    unit: '{message}',
  });
  const observe = (result: { observe(value: number, attributes: Record<string, string>): void }) => {
    for (const { topic, partition, lag } of snapshot())
      result.observe(lag, { 'tributary.consumer': name, 'messaging.destination.name': topic, partition });
  };
  gauge.addCallback(observe);
  return { close: () => gauge.removeCallback(observe) };
}
