import type { Container, CosmosClient } from '@azure/cosmos';
import type { Projection } from '../src/projections/index.ts';
import type { Reactor } from '../src/reactors/index.ts';
import { ContainerNames, type CosmosStore, createCosmosStore } from '../src/store/index.ts';
import type { ChangeFeedHandler } from '../src/streams/index.ts';
import type { SummaryPublisher } from '../src/summaries/index.ts';
import { type AccountCategory, accountCategoryIn } from './bank/accounts.ts';
import { balanceProjection, statementProjection } from './bank/projections.ts';
import { createBankService } from './bank/service.ts';
import { statementLineReactor } from './bank/statement-lines.ts';
import { transferReactor } from './bank/transfer-reactor.ts';
import { type TransferCategory, transferCategoryIn } from './bank/transfers.ts';
import type { BalanceView, StatementView } from './domain/views.ts';
import { type ApiRequest, type ApiResponse, type ApiRoute, serveApiRequest } from './http/api.ts';
import { createBankRoutes } from './http/routes.ts';
import type { BankService } from './service.ts';

export interface BankAppOptions {
  readonly client: CosmosClient;
  readonly databaseId: string;
  /** where statement lines go: a Kafka/Event Hubs publisher, or the file sink locally */
  readonly publisher: SummaryPublisher;
  /** where unexpected HTTP failures are reported; default console.error */
  readonly log?: (message: string, error: unknown) => void;
  /** idempotency keys each account remembers with their outcome; default 128 */
  readonly idempotencyKeyWindow?: number;
}

/**
 * A change-feed handler of the app; its `name` is short (`accountBalance`), also the Azure Functions function name of
 * its trigger, and `processorName` is what it checkpoints under.
 */
export interface BankHandler extends ChangeFeedHandler {
  readonly kind: 'projection' | 'reactor' | 'summary';
}

export interface BankApp {
  readonly store: CosmosStore;
  readonly containers: {
    readonly events: Container;
    readonly leases: Container;
    readonly views: Container;
    readonly deadLetters: Container;
  };
  readonly accounts: AccountCategory;
  readonly transfers: TransferCategory;
  readonly service: BankService;
  /** the HTTP API, framework-agnostic: register each route with a host, or serve them all with `serve` */
  readonly routes: readonly ApiRoute[];
  /** serves one request by method and path (`/api/accounts/42`), 404/405 for unknown routes */
  serve(request: {
    method: string;
    path: string;
    header(name: string): string | undefined;
    body: string;
  }): Promise<ApiResponse>;
  readonly projections: { readonly balance: Projection<BalanceView>; readonly statement: Projection<StatementView> };
  readonly reactors: { readonly transfer: Reactor };
  readonly summaryReactor: Reactor;
  /** every change-feed handler, for the self-hosted processor and for the Functions triggers alike */
  readonly handlers: readonly BankHandler[];
}

/**
 * Composes the sample bank from the framework's public API. Hosts share this one code path: the Azure Functions
 * entry point (functions/index.ts) registers its routes and handlers as functions, the dev host serves the same
 * routes and runs the same handlers on Tributary's own change-feed processor. It creates no containers: the dev host
 * calls `ensureContainers`, and in Azure the Bicep templates create them.
 */
export function createBankApp(options: BankAppOptions): BankApp {
  const { client, databaseId, publisher } = options;
  const database = client.database(databaseId);
  const containers = {
    events: database.container(ContainerNames.events),
    leases: database.container(ContainerNames.leases),
    views: database.container(ContainerNames.views),
    deadLetters: database.container(ContainerNames.deadLetters),
  };
  const store = createCosmosStore({ client, databaseId });
  const accounts = accountCategoryIn(
    store,
    options.idempotencyKeyWindow === undefined ? {} : { idempotencyKeyWindow: options.idempotencyKeyWindow },
  );
  const transfers = transferCategoryIn(store);
  const balance = balanceProjection(containers.views);
  const statement = statementProjection(containers.views);
  const transfer = transferReactor(accounts, transfers);
  const summaryReactor = statementLineReactor(publisher);
  const service = createBankService({ accounts, transfers, balance, statement });
  const routes = createBankRoutes(service, options.log ? { log: options.log } : {});

  const handlers: BankHandler[] = [
    { name: 'accountBalance', processorName: balance.processorName, kind: 'projection', handle: balance.handle },
    { name: 'accountStatement', processorName: statement.processorName, kind: 'projection', handle: statement.handle },
    { name: 'transferProcess', processorName: transfer.processorName, kind: 'reactor', handle: transfer.handle },
    {
      name: 'statementLines',
      processorName: summaryReactor.processorName,
      kind: 'summary',
      handle: summaryReactor.handle,
    },
  ];

  return {
    store,
    containers,
    accounts,
    transfers,
    service,
    routes,
    serve: (request) => serveApiRequest(routes, request),
    projections: { balance, statement },
    reactors: { transfer },
    summaryReactor,
    handlers,
  };
}

export type { ApiRequest, ApiResponse, ApiRoute };
