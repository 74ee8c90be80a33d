import { type MeterProvider, metrics } from '@opentelemetry/api';
import type { PartitionLag } from './consumer-scheduler.ts';

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
