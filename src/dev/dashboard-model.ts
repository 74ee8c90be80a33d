import type { AsOf } from '../store/index.ts';
import type { Journey } from './journey.ts';
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
  /** how old the oldest change not yet checkpointed is; 0 when caught up, undefined when unknown */
  readonly behindMs?: number | undefined;
  /**
   * nothing to read after the checkpoint: an idle range's checkpoint is not rewritten, so its age only says how long
   * the range has been quiet
   */
  readonly caughtUp?: boolean;
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
  /**
   * at a glance: `caught-up` (nothing pending), `catching-up` (behind, no stream in trouble), `failing` (a stream is
   * failing or stalled), `parked` (streams set aside, the rest flows); undefined when not reported
   */
  readonly health?: ProcessorHealth;
  /**
   * seen only through its leases and dead letters (`tributary dashboard`): handled counts, throughput and failing
   * streams are not known
   */
  readonly observedOnly?: boolean;
}

export type ProcessorHealth = 'caught-up' | 'catching-up' | 'failing' | 'parked';

/** The summary publisher's connection to its broker, judged from the publishes it attempted. */
export interface PublisherHealth {
  /** `idle`: nothing published yet; `connected`: the last publish succeeded; `retrying`: the last one failed */
  readonly state: 'idle' | 'connected' | 'retrying';
  readonly lastPublishedAt: string | undefined;
  /** the last failure's message (never a secret) */
  readonly lastError: string | undefined;
  /** when publishes began failing (the first failure after a success) */
  readonly downSince: string | undefined;
  readonly failures: number;
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

/** One partition of a consumer's topic: how far the committed offset trails the newest. */
export interface ConsumerPartitionStatus {
  readonly partition: string;
  /** the next offset the broker will write (high watermark), as a decimal string; undefined before the first fetch */
  readonly newest: string | undefined;
  /** the offset last committed (the next one a restarted consumer reads); undefined before the first commit */
  readonly committed: string | undefined;
  /** messages read but not handled or parked yet */
  readonly inFlight: number;
  /** newest − committed, in messages */
  readonly lag: number;
}

/** A downstream summary consumer the dev host runs (`HostedApp.consumers`). */
export interface ConsumerStatus {
  readonly name: string;
  readonly topic: string;
  /** summaries handed to the handler and handled */
  readonly handled: number;
  /** summaries skipped as not newer than the last handled version of their stream */
  readonly stale: number;
  /** messages that could not be read (parked with their stream) */
  readonly unreadable: number;
  /** streams failing (retried) and parked now */
  readonly failing: number;
  readonly parked: number;
  /** the sum of the partitions' lag, in messages */
  readonly lag: number;
  readonly partitions: readonly ConsumerPartitionStatus[];
}

/** Everything the dashboard redraws each second: `GET /dashboard/api/status`. Never holds a secret. */
export interface DashboardStatus {
  readonly generatedAt: string;
  readonly api: string;
  readonly cosmos: { readonly endpoint: string; readonly kind: 'local' | 'account'; readonly database: string };
  readonly summarySink: {
    /** `none`: this dashboard does not publish (`tributary dashboard`) */
    readonly kind: 'file' | 'kafka' | 'event-hubs' | 'none';
    readonly target: string;
    readonly health?: PublisherHealth;
  };
  /**
   * the busiest processor's figures: each processor handles the events of its own categories, so a sum over
   * processors would count an event once per processor that sees it
   */
  readonly throughput: {
    readonly processor: string | undefined;
    readonly eventsPerSecond: number;
    readonly eventsHandled: number;
  };
  /** true when the page may only look (`tributary dashboard`): Replay is refused */
  readonly readOnly?: boolean;
  readonly processors: readonly ProcessorStatus[];
  /** the dev host's downstream consumers; empty when it runs none (file sink, `tributary dashboard`) */
  readonly consumers: readonly ConsumerStatus[];
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
    readonly correlationId: string | null;
    readonly causationId: string | null;
  }[];
  readonly unfolds: readonly { readonly type: string; readonly version: number; readonly data: unknown }[];
  /** the domain state folded by the app, when the app knows the category */
  readonly state: unknown;
}

/** One page of the streams whose names start with a prefix, in natural order (u2 before u10). */
export interface StreamPage {
  readonly prefix: string;
  readonly page: number;
  readonly pageSize: number;
  /** streams matched (at most `limit`: a longer list asks for a longer prefix) */
  readonly total: number;
  readonly limited: boolean;
  readonly streams: readonly { readonly stream: string; readonly version: bigint }[];
  readonly requests: number;
}

/** A stream at one version, for stepping through its history: `GET /dashboard/api/streams/{name}/at/{version}`. */
export interface StreamStep {
  readonly stream: string;
  readonly version: bigint;
  readonly currentVersion: bigint;
  /** the event that led to this version (undefined at version 0) */
  readonly event: StreamView['events'][number] | undefined;
  readonly state: unknown;
  /** the state before that event */
  readonly previous: unknown;
  readonly origin: string;
  readonly requests: number;
}

/** A read-only query over one of the database's containers, one page at a time. */
export interface QueryPage {
  readonly container: string;
  readonly items: readonly unknown[];
  /** where the next page starts; undefined on the last page */
  readonly continuation: string | undefined;
  readonly requests: number;
  /** request units charged, as Cosmos DB reports them (the local server may report 0) */
  readonly requestCharge: number;
}

/** Where the dashboard's data comes from; the dev host wires it to its processors and store. */
export interface DashboardSources {
  status(): Promise<DashboardStatus>;
  categories(): readonly string[];
  listStreams(category: string): Promise<readonly { readonly stream: string; readonly version: bigint }[]>;
  findStreams(prefix: string, page: number): Promise<StreamPage>;
  readStream(stream: string): Promise<StreamView>;
  /** undefined when nobody can fold the stream (no app, or a category the app does not know) */
  streamAt(stream: string, at: AsOf): Promise<StreamStep | undefined>;
  query(container: string, sql: string, continuation: string | undefined): Promise<QueryPage>;
  /** replays a parked stream through its processor's (or consumer's) handler; resolves with a sentence for the page */
  replayParked(processor: string, stream: string): Promise<string>;
  /** the journey of the event at `index` of `stream`, from the spans the host keeps (see `journeyOf`) */
  journey(stream: string, index: number): Journey;
}
