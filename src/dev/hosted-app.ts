import type { CosmosClient } from '@azure/cosmos';
import type { HttpAnswer, HttpRequest } from '../http/types.ts';
import type { AsOf, StateAsOf, TributaryContainers } from '../store/index.ts';
import type { SummaryPublisher } from '../summaries/publisher.ts';
import type { HostedConsumerDefinition } from './hosted-consumers.ts';
import type { HostedProcessorDefinition } from './hosted-processors.ts';

/** What the dev host gives an app to build itself with. */
export interface HostedAppContext {
  readonly client: CosmosClient;
  readonly databaseId: string;
  readonly containers: TributaryContainers;
  /** where the app's summary reactor publishes */
  readonly summaries: SummaryPublisher;
}

/** An HTTP request under `/api/`, as the app's `serve` takes it (the framework's neutral request shape). */
export type HostedHttpRequest = HttpRequest;

/** The app's answer; `body` is sent as JSON. */
export type HostedHttpAnswer = HttpAnswer;

/** What the dev host needs from an app: its HTTP API, the handlers to run on the change feed, its categories. */
export interface HostedApp {
  /**
   * serves a request under `/api/` (the same routes as the app's Functions), 404 for paths it does not know;
   * `createRouter(routes)` from the main entry builds one from the app's routes
   */
  serve(request: HostedHttpRequest): Promise<HostedHttpAnswer>;
  readonly processors: readonly HostedProcessorDefinition[];
  /**
   * downstream consumers of the app's summary topics (`hostedConsumer({ name, contract, handle })`): the host runs
   * them when Kafka or Event Hubs is configured and stops them on shutdown
   */
  readonly consumers?: readonly HostedConsumerDefinition[];
  /** the categories the stream browser offers */
  readonly categories: readonly string[];
  /** the domain state of a stream, for the stream browser; undefined for a category the app does not know */
  state?(stream: string): Promise<unknown>;
  /**
   * the domain state of a stream as of a version or a time (time travel in the stream browser and `tributary dump
   * --at`), usually a category's `loadAsOf`; undefined for a category the app does not know
   */
  stateAsOf?(stream: string, asOf: AsOf): Promise<StateAsOf<unknown> | undefined>;
  close?(): Promise<void>;
}

export type HostedAppFactory = (context: HostedAppContext) => HostedApp | Promise<HostedApp>;
