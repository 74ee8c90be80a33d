import type { Container, CosmosClient } from '@azure/cosmos';
import { type ApiRoute, createBankApp } from '../../functions/app.ts';
import { StreamName } from '../core/index.ts';
import type { Projection } from '../projections/index.ts';
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

/** Deletes every view a projection's version wrote (the views container is partitioned by `/id`). */
function viewClearer(projection: Projection<unknown>, views: Container) {
  return async () => {
    const documents = await projection.query({ version: projection.version });
    for (const document of documents) await views.item(document.id, document.id).delete();
    return documents.length;
  };
}

/** The sample bank app (`functions/app.ts`): the same routes and change-feed handlers as the Functions app. */
export const bankApp: HostedAppFactory = ({ client, databaseId, containers, summaries }) => {
  const bank = createBankApp({ client, databaseId, publisher: summaries });
  const projections: Record<string, Projection<unknown>> = {
    [bank.projections.balance.processorName]: bank.projections.balance as Projection<unknown>,
    [bank.projections.statement.processorName]: bank.projections.statement as Projection<unknown>,
  };
  return {
    routes: bank.routes,
    processors: bank.handlers.map((handler) => {
      const projection = projections[handler.processorName];
      return {
        name: handler.processorName,
        kind: handler.kind,
        handle: handler.handle,
        aliases: projection ? [handler.name, projection.name] : [handler.name],
        ...(projection ? { clearViews: viewClearer(projection, containers.views) } : {}),
      };
    }),
    categories: [bank.accounts.name, bank.transfers.name],
    async state(stream) {
      const name = StreamName.parse(stream);
      const category = StreamName.category(name);
      const id = StreamName.id(name);
      if (category === bank.accounts.name) return (await bank.accounts.load(id)).state.account;
      if (category === bank.transfers.name) return (await bank.transfers.load(id)).state;
      return undefined;
    },
  };
};
