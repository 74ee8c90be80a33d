import type { LagSample } from './lag-history.ts';
import type { PublishedSummary } from './recent-summaries.ts';

/** One lease of a processor as the dashboard shows it. */
export interface LeaseStatus {
  /** the feed range, `min-max` of effective partition keys */
  readonly range: string;
  readonly owner: string | null;
  /** ms since the checkpoint was last written; undefined before the first checkpoint */
  readonly checkpointAgeMs: number | undefined;
  /** documents (or LSN distance) between the checkpoint and the head of the feed; undefined when unknown */
  readonly lag: number | undefined;
}

export interface ProcessorStatus {
  readonly name: string;
  /** what the processor runs: a projection, a reactor, the summary publisher */
  readonly kind: string;
  readonly leases: readonly LeaseStatus[];
  readonly lag: number;
  readonly eventsHandled: number;
  readonly eventsPerSecond: number;
  /** 95th percentile of handler latency (ms per span), undefined before the first span */
  readonly latencyP95Ms: number | undefined;
}

/** A stream that is not flowing: failing (retrying), stalled (waiting for a gap or prerequisite), or parked. */
export interface ProblemStream {
  readonly processor: string;
  readonly stream: string;
  /** ISO time the problem began (failing since, parked at) */
  readonly since: string | undefined;
  readonly error: string | undefined;
  readonly attempts?: number;
}

/** Everything the dashboard redraws each second: `GET /dashboard/api/status`. Never holds a secret. */
export interface DashboardStatus {
  readonly generatedAt: string;
  readonly api: string;
  readonly cosmos: { readonly endpoint: string; readonly kind: 'local' | 'account'; readonly database: string };
  readonly summarySink: { readonly kind: 'file' | 'kafka' | 'event-hubs'; readonly target: string };
  /** events handled per second and in total, summed over the processors (an event counts once per processor) */
  readonly throughput: { readonly eventsPerSecond: number; readonly eventsHandled: number };
  readonly processors: readonly ProcessorStatus[];
  readonly lagHistory: readonly LagSample[];
  readonly streams: {
    readonly failing: readonly ProblemStream[];
    readonly stalled: readonly ProblemStream[];
    readonly parked: readonly ProblemStream[];
  };
  readonly recentSummaries: readonly PublishedSummary[];
}

/** A stream as the stream browser shows it: `GET /dashboard/api/streams/{name}`. */
export interface StreamView {
  readonly stream: string;
  readonly version: bigint;
  readonly events: readonly {
    readonly index: bigint;
    readonly type: string;
    readonly timestamp: string;
    readonly data: unknown;
    readonly meta: unknown;
  }[];
  readonly unfolds: readonly { readonly type: string; readonly version: number; readonly data: unknown }[];
  /** the domain state folded by the app, when the app knows the category */
  readonly state: unknown;
}

/** Where the dashboard's data comes from; the dev host wires it to its processors and store. */
export interface DashboardSources {
  status(): Promise<DashboardStatus>;
  categories(): readonly string[];
  listStreams(category: string): Promise<readonly { readonly stream: string; readonly version: bigint }[]>;
  readStream(stream: string): Promise<StreamView>;
  /** replays a parked stream through its processor's handler; resolves with a sentence for the page */
  replayParked(processor: string, stream: string): Promise<string>;
}
