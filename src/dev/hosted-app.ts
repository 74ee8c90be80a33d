import type { Container, CosmosClient } from '@azure/cosmos';
import type { SummaryPublisher } from '../summaries/index.ts';
import type { HostedProcessorDefinition } from './hosted-processors.ts';

/** What the dev host gives an app to build itself with. */
export interface HostedAppContext {
  readonly client: CosmosClient;
  readonly databaseId: string;
  readonly containers: {
    readonly events: Container;
    readonly leases: Container;
    readonly views: Container;
    readonly deadLetters: Container;
  };
  /** where the app's summary reactor publishes */
  readonly summaries: SummaryPublisher;
}

/** An HTTP request under `/api/`, as a framework-agnostic app handler takes it. */
export interface HostedHttpRequest {
  readonly method: string;
  /** the full path, e.g. `/api/accounts/42/deposit` */
  readonly path: string;
  /** header lookup, case-insensitive */
  header(name: string): string | undefined;
  /** the raw body ('' when there is none) */
  readonly body: string;
}

/** The answer; `body` is sent as JSON. */
export interface HostedHttpAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** What the dev host needs from an app: its HTTP API, the handlers to run on the change feed, its categories. */
export interface HostedApp {
  /** serves a request under `/api/` (the same routes as the app's Functions), 404 for paths it does not know */
  serve(request: HostedHttpRequest): Promise<HostedHttpAnswer>;
  readonly processors: readonly HostedProcessorDefinition[];
  /** the categories the stream browser offers */
  readonly categories: readonly string[];
  /** the domain state of a stream, for the stream browser; undefined for a category the app does not know */
  state?(stream: string): Promise<unknown>;
  close?(): Promise<void>;
}

export type HostedAppFactory = (context: HostedAppContext) => HostedApp | Promise<HostedApp>;
