import type {
  CosmosDBv4FunctionOptions,
  HttpFunctionOptions,
  HttpHandler,
  InvocationContext,
  TimerFunctionOptions,
  TimerHandler,
} from '@azure/functions';
import {
  azureHttpHandler,
  type ChangeFeedTriggerHandler,
  createChangeFeedTriggerHandler,
  createLagTimerHandler,
  triggerRetry,
} from '../src/azure-functions/index.ts';
import { ContainerNames } from '../src/store/index.ts';
import type { BankApp, BankHandler } from './app.ts';
import { cosmosTriggerConnection } from './settings.ts';

/** The part of `app` from `@azure/functions` the bank registers with (a fake one in tests). */
export interface FunctionRegistrar {
  http(name: string, options: HttpFunctionOptions): void;
  cosmosDB(name: string, options: CosmosDBv4FunctionOptions): void;
  timer(name: string, options: TimerFunctionOptions): void;
}

/** Every function of the bank, by name, as the host would invoke it. */
export interface BankFunctions {
  readonly http: Readonly<Record<string, HttpHandler>>;
  readonly triggers: Readonly<Record<string, ChangeFeedTriggerHandler>>;
  readonly lag: TimerHandler;
}

/** The lease prefix of a handler's trigger: its own checkpoints, apart from other triggers and processors. */
export const triggerLeasePrefix = (handler: BankHandler) => `${handler.processorName}:`;

/** How often the lag timer runs (NCRONTAB with seconds): every five minutes. */
export const lagSchedule = '0 */5 * * * *';

/**
 * Registers the bank as Azure Functions: one HTTP function per route, one Cosmos DB trigger on the events container
 * per change-feed handler (each with its own lease prefix, so each keeps its own checkpoints, and with the retry
 * policy that never skips), and a timer that reports processor lag. Returns the handlers for direct invocation.
 */
export function registerBankFunctions(
  registrar: FunctionRegistrar,
  bank: BankApp,
  options: { readonly databaseId: string },
): BankFunctions {
  const http: Record<string, HttpHandler> = {};
  for (const route of bank.routes) {
    const handler = azureHttpHandler((call) => route.handle(call), { route: route.route });
    http[route.name] = handler;
    registrar.http(route.name, {
      // HEAD is GET without the body (RFC 9110 §9.3.2): the host passes it on only when it is registered.
      methods: route.method === 'GET' ? ['GET', 'HEAD'] : [route.method],
      route: route.route,
      authLevel: route.authLevel,
      handler,
    });
  }

  const triggers: Record<string, ChangeFeedTriggerHandler> = {};
  for (const handler of bank.handlers) {
    const trigger = createChangeFeedTriggerHandler({
      name: handler.name,
      handle: handler.handle,
      startFromBeginning: true,
      maxItemsPerInvocation: 100,
    });
    triggers[handler.name] = trigger;
    registrar.cosmosDB(handler.name, {
      connection: cosmosTriggerConnection,
      databaseName: options.databaseId,
      containerName: ContainerNames.events,
      leaseContainerName: ContainerNames.leases,
      // The containers come from infra (or ensureContainers); the identity cannot create them anyway.
      createLeaseContainerIfNotExists: false,
      leaseContainerPrefix: triggerLeasePrefix(handler),
      startFromBeginning: true,
      maxItemsPerInvocation: 100,
      feedPollDelay: 1_000,
      retry: triggerRetry,
      handler: (documents: unknown[], context: InvocationContext) => trigger(documents, context),
    });
  }

  // Reports the triggers (from the Functions host's leases) and, when handlers also run self-hosted (a rebuild, a
  // container), Tributary's processors of the same names.
  const lagReport = createLagTimerHandler({
    monitored: bank.containers.events,
    leases: bank.containers.leases,
    triggers: bank.handlers.map((handler) => ({ name: handler.name, leasePrefix: triggerLeasePrefix(handler) })),
    processors: bank.handlers.map((handler) => handler.processorName),
  });
  const lag: TimerHandler = async (timer, context) => {
    await lagReport(timer, context);
  };
  registrar.timer('processorLag', { schedule: lagSchedule, handler: lag });

  return { http, triggers, lag };
}
