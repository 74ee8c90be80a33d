import {
  type Attributes,
  type BatchObservableResult,
  type Histogram,
  type MeterProvider,
  metrics,
} from '@opentelemetry/api';
import type { SchedulerStats } from './stats.ts';

/** The scheduler's OpenTelemetry instruments (meter `tributary`, attribute `tributary.scheduler` = its name). */
export interface SchedulerMetrics {
  /** one handler call took `ms` */
  readonly handlerDuration: Histogram;
  readonly attributes: Attributes;
  /** unregisters the observable callbacks */
  close(): void;
}

/**
 * Counters and gauges are observable: they read the scheduler's own totals when the exporter collects, so the
 * dispatch loop pays nothing for them. Only the latency histogram is recorded per handler call.
 */
export function createSchedulerMetrics(
  provider: MeterProvider | undefined,
  name: string,
  snapshot: () => SchedulerStats,
): SchedulerMetrics {
  const meter = (provider ?? metrics.getMeterProvider()).getMeter('tributary');
  const attributes: Attributes = { 'tributary.scheduler': name };
  const handlerDuration = meter.createHistogram('tributary.scheduler.handler.duration', {
    description: 'Duration of one stream handler call',
    unit: 'ms',
  });
  const events = meter.createObservableCounter('tributary.scheduler.events.handled', { description: 'Events handled' });
  const failures = meter.createObservableCounter('tributary.scheduler.handler.failures', {
    description: 'Handler calls that threw (or made no progress)',
  });
  const duplicates = meter.createObservableCounter('tributary.scheduler.events.duplicates', {
    description: 'Re-delivered events dropped because the stream had already handled them',
  });
  const streams = meter.createObservableGauge('tributary.scheduler.streams', {
    description: 'Streams by state (active, queued, waiting, failing, stalled, parked)',
  });
  const buffered = meter.createObservableGauge('tributary.scheduler.buffered.events', {
    description: 'Events buffered',
  });
  const pages = meter.createObservableGauge('tributary.scheduler.buffered.pages', {
    description: 'Pages not yet handled',
  });
  const gaps = meter.createObservableGauge('tributary.scheduler.gaps.open', {
    description: 'Streams waiting for a gap to fill',
  });
  const staleGaps = meter.createObservableGauge('tributary.scheduler.gaps.stale', {
    description: 'Streams whose gap has been open longer than gapWarningAfterMs',
  });
  const rate = meter.createObservableGauge('tributary.scheduler.events.rate', {
    description: 'Events handled per second',
    unit: '1/s',
  });
  const lag = meter.createObservableGauge('tributary.scheduler.lag', {
    description: 'Age of the oldest change read but not yet handled (0 when every page read is handled)',
    unit: 'ms',
  });
  const observables = [events, failures, duplicates, streams, buffered, pages, gaps, staleGaps, rate, lag];
  const callback = (result: BatchObservableResult) => {
    const stats = snapshot();
    result.observe(events, stats.handled.events, attributes);
    result.observe(failures, stats.failures, attributes);
    result.observe(duplicates, stats.duplicates, attributes);
    for (const [state, count] of Object.entries(stats.streams)) {
      if (state !== 'known') result.observe(streams, count, { ...attributes, 'tributary.stream.state': state });
    }
    result.observe(buffered, stats.buffered.events, attributes);
    result.observe(pages, stats.buffered.pages, attributes);
    result.observe(gaps, stats.gaps.open, attributes);
    result.observe(staleGaps, stats.gaps.stale, attributes);
    result.observe(rate, stats.eventsPerSecond, attributes);
    result.observe(lag, stats.lag.behindMs, attributes);
  };
  meter.addBatchObservableCallback(callback, observables);
  return {
    handlerDuration,
    attributes,
    close: () => meter.removeBatchObservableCallback(callback, observables),
  };
}
