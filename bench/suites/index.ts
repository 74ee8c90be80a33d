import { atLeast, atMost } from '../harness/result.ts';
import type { BenchSuite } from '../harness/suite.ts';

/** Every suite, in run order, with the named results it promises (issue 7's table). */
export const suites: readonly BenchSuite[] = [
  {
    name: 'scheduler',
    promises: [
      { name: 'scheduler.events_per_sec', unit: 'events/s', goal: atLeast(500_000) },
      { name: 'scheduler.documents.ratio', unit: 'events/s', goal: atLeast(0.85) },
    ],
    load: () => import('./scheduler.ts'),
  },
  {
    name: 'store',
    promises: [
      { name: 'store.append.requests', unit: 'requests/append', goal: atMost(1) },
      { name: 'store.load.requests', unit: 'requests/load', goal: atMost(1) },
      { name: 'store.load.cached.requests', unit: 'requests/load', goal: atMost(1) },
      { name: 'store.load.docsRead.ratio', unit: 'documents/load', goal: atMost(0.01) },
      { name: 'store.transact.throughput.ratio', unit: 'commands/s', goal: atLeast(1.5) },
    ],
    load: () => import('./store.ts'),
  },
  {
    name: 'feed',
    promises: [{ name: 'feed.throughput.ratio', unit: 'events/s', goal: atLeast(0.9) }],
    load: () => import('./feed.ts'),
  },
  {
    name: 'processor',
    promises: [
      { name: 'processor.start.requests', unit: 'requests', goal: atMost(10) },
      { name: 'processor.start.ms', unit: 'ms' },
      { name: 'lag.estimate.requests', unit: 'requests', goal: atMost(5) },
      { name: 'processor.idle.requests_per_hour', unit: 'requests/hour', goal: atMost(1_000) },
    ],
    load: () => import('./processor.ts'),
  },
  {
    name: 'projection',
    promises: [{ name: 'projection.throughput.events_per_sec', unit: 'events/s' }],
    load: () => import('./projection.ts'),
  },
  {
    name: 'summaries',
    promises: [{ name: 'summaries.throughput.ratio', unit: 'summaries/s', goal: atLeast(0.9) }],
    load: () => import('./summaries.ts'),
  },
  {
    name: 'consumer',
    promises: [{ name: 'consumer.throughput.ratio', unit: 'summaries/s', goal: atLeast(0.8) }],
    load: () => import('./consumer.ts'),
  },
  {
    name: 'e2e',
    promises: [
      { name: 'e2e.latency.p50_ms', unit: 'ms' },
      { name: 'e2e.latency.p99_ms', unit: 'ms', goal: atMost(2_000) },
    ],
    load: () => import('./e2e.ts'),
  },
  {
    name: 'archive',
    promises: [
      { name: 'archive.archiver.events_per_sec', unit: 'events/s' },
      { name: 'archive.replay.events_per_sec', unit: 'events/s' },
      { name: 'archive.replay.cosmos_requests', unit: 'requests' },
      { name: 'archive.replay.blob_requests', unit: 'requests' },
      { name: 'archive.prune.container_bytes', unit: 'bytes' },
      { name: 'archive.load_pruned.requests', unit: 'requests' },
    ],
    load: () => import('./archive.ts'),
  },
  {
    name: 'tracing',
    promises: [
      { name: 'tracing.off.handler_call_ns', unit: 'ns/call' },
      { name: 'tracing.transact.ratio', unit: 'commands/s' },
      { name: 'tracing.feed.ratio', unit: 'events/s' },
    ],
    load: () => import('./tracing.ts'),
  },
  {
    name: 'rss',
    promises: [{ name: 'processor.rss_mb.backlog_1m', unit: 'MB', goal: atMost(300) }],
    load: () => import('./rss.ts'),
  },
];
