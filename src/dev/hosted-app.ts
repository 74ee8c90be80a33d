import type { Container, CosmosClient } from '@azure/cosmos';
import type { ApiRoute } from '../../functions/http/api.ts';
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

/** What the dev host needs from an app: its HTTP routes, the handlers to run on the change feed, its categories. */
export interface HostedApp {
  readonly routes: readonly ApiRoute[];
  readonly processors: readonly HostedProcessorDefinition[];
  /** the categories the stream browser offers */
  readonly categories: readonly string[];
  /** the domain state of a stream, for the stream browser; undefined for a category the app does not know */
  state?(stream: string): Promise<unknown>;
  close?(): Promise<void>;
}

export type HostedAppFactory = (context: HostedAppContext) => HostedApp | Promise<HostedApp>;
