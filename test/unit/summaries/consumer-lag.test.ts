import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createConsumerScheduler } from '../../../src/summaries/index.ts';
import { balanceContract, balanceMessage } from './balance-messages.ts';

const contract = balanceContract;
const message = balanceMessage;

describe('consumer lag per partition', () => {
  it('is the newest offset minus the committed one, in stats and as the tributary.consumer.lag gauge', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const engine = createConsumerScheduler({
      name: 'statements',
      contract,
      meterProvider,
      handle: async (summary) => {
        if (summary.envelope.stream === 'Account-2') await held;
      },
      onUnreadable: () => undefined,
    });
    const { handled } = await engine.ingest('balances', '3', [
      message('Account-1', 1, 10),
      message('Account-2', 1, 11),
      message('Account-1', 2, 12),
    ]);
    engine.noteNewest('balances', '3', 20n);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.committable('balances', '3')).toBe(11n);
    engine.noteCommitted('balances', '3', 11n);
    expect(engine.stats().partitions).toEqual([
      { topic: 'balances', partition: '3', newest: 20n, committed: 11n, inFlight: 1, lag: 9 },
    ]);
    await reader.forceFlush();
    const points = exporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics)
      .flatMap((scope) => scope.metrics)
      .filter((metric) => metric.descriptor.name === 'tributary.consumer.lag')
      .flatMap((metric) => metric.dataPoints as { attributes: unknown; value: unknown }[]);
    expect(points.map((point) => [point.attributes, point.value])).toEqual([
      [{ 'tributary.consumer': 'statements', 'messaging.destination.name': 'balances', partition: '3' }, 9],
    ]);
    release();
    await handled;
    expect(engine.committable('balances', '3')).toBe(13n);
    engine.close();
  });
});
