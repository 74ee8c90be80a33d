import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/streams/scheduler.ts';
import { doc, gate, readDocument, span } from './support.ts';

describe('scheduler stats', () => {
  it('counts handled events and spans, and reports latency percentiles and a rate', async () => {
    const scheduler = createScheduler({ handle: async () => undefined }, readDocument);
    await scheduler.ingestSpans('0', [span('Account-1', 0, 3), span('Account-2', 0, 2)]);
    await scheduler.awaitCompletion();
    const stats = scheduler.stats();
    expect(stats.handled).toEqual({ events: 5, spans: 2 });
    expect(stats.latencyMs.samples).toBe(2);
    expect(stats.latencyMs.p99).toBeGreaterThanOrEqual(stats.latencyMs.p50);
    expect(stats.eventsPerSecond).toBeGreaterThan(0);
    expect(stats.buffered).toEqual({ events: 0, pages: 0 });
  });

  it('reports buffered events and pages, active and queued streams while handlers run', async () => {
    const release = gate();
    const scheduler = createScheduler(
      { maxConcurrentStreams: 1, handle: () => release.promise.then(() => undefined) },
      readDocument,
    );
    await scheduler.ingestSpans('0', [span('Account-1', 0, 2), span('Account-2', 0, 1)]);
    expect(scheduler.stats()).toMatchObject({ streams: { active: 1, queued: 1 }, buffered: { events: 3, pages: 1 } });
    release.open();
    await scheduler.awaitCompletion();
  });

  it('reports a stream with work and no progress for stallAfterMs as stalled', async () => {
    const release = gate();
    const scheduler = createScheduler(
      { stallAfterMs: 0, handle: () => release.promise.then(() => undefined) },
      readDocument,
    );
    await scheduler.ingestSpans('0', [span('Account-1', 0, 1)]);
    expect(scheduler.stats().streams.stalled).toBe(1);
    expect(scheduler.stats().stalled.map((s) => s.stream)).toEqual(['Account-1']);
    release.open();
    await scheduler.awaitCompletion();
    expect(scheduler.stats().streams.stalled).toBe(0);
  });
});

describe('scheduler lag', () => {
  it('reports the age of the oldest change read but not handled, and 0 once every page read is handled', async () => {
    const release = gate();
    const scheduler = createScheduler({ handle: () => release.promise.then(() => undefined) }, readDocument);
    const changedAt = Math.floor(Date.now() / 1000) - 120;
    const old = { ...doc('Account-1', 0, 1), _ts: changedAt };
    const newer = { ...doc('Account-2', 0, 1), _ts: changedAt + 60 };
    await scheduler.ingest({ leaseToken: '0', continuation: 'c1', documents: [newer, old] });
    const { lag } = scheduler.stats();
    expect(lag.oldestPendingChangeAt).toEqual(new Date(changedAt * 1000));
    expect(lag.behindMs).toBeGreaterThanOrEqual(120_000);
    release.open();
    await scheduler.awaitCompletion();
    expect(scheduler.stats().lag).toEqual({ behindMs: 0, oldestPendingChangeAt: undefined });
  });
});

describe('scheduler metrics (OpenTelemetry)', () => {
  it('exports handled events, handler durations and stream states on the tributary meter', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    let fail = true;
    const scheduler = createScheduler(
      {
        name: 'audit',
        meterProvider,
        retry: { initialDelayMs: 1 },
        handle: async () => {
          if (fail) {
            fail = false;
            throw new Error('once');
          }
          return undefined;
        },
      },
      readDocument,
    );
    await scheduler.ingestSpans('0', [span('Account-1', 0, 4)]);
    await scheduler.awaitCompletion();
    await reader.forceFlush();
    const metrics = new Map<string, MetricData>(
      exporter
        .getMetrics()
        .flatMap((resource) => resource.scopeMetrics)
        .filter((scope) => scope.scope.name === 'tributary')
        .flatMap((scope) => scope.metrics)
        .map((metric) => [metric.descriptor.name, metric]),
    );
    const value = (name: string) => metrics.get(name)?.dataPoints[0]?.value;
    expect(value('tributary.scheduler.events.handled')).toBe(4);
    expect(value('tributary.scheduler.handler.failures')).toBe(1);
    expect(value('tributary.scheduler.buffered.events')).toBe(0);
    expect(value('tributary.scheduler.lag')).toBe(0);
    expect(metrics.get('tributary.scheduler.handler.duration')?.dataPoints[0]?.value).toMatchObject({ count: 2 });
    expect(metrics.get('tributary.scheduler.events.handled')?.dataPoints[0]?.attributes).toEqual({
      'tributary.scheduler': 'audit',
    });
    const states = metrics
      .get('tributary.scheduler.streams')
      ?.dataPoints.map((point) => point.attributes['tributary.stream.state']);
    expect(states).toEqual(expect.arrayContaining(['active', 'queued', 'waiting', 'failing', 'stalled', 'parked']));
    scheduler.close();
    await meterProvider.shutdown();
  });
});
