import {
  type CosmosDBv4FunctionOptions,
  type HttpFunctionOptions,
  HttpRequest,
  type HttpResponseInit,
  InvocationContext,
  type TimerFunctionOptions,
} from '@azure/functions';
import { type BankApp, createBankApp } from '../../../functions/app.ts';
import { type BankFunctions, type FunctionRegistrar, registerBankFunctions } from '../../../functions/registrations.ts';
import { ensureContainers } from '../../../src/store/index.ts';
import type { SummaryPublisher, SummaryRecord } from '../../../src/summaries/index.ts';
import { startTestCosmos, type TestCosmos } from '../../support/cosmos.ts';

/** A publisher that keeps what it was given, in order; `failNext` makes the next publishes reject. */
export function createMemoryPublisher() {
  const records: SummaryRecord[] = [];
  let failures = 0;
  const publisher: SummaryPublisher & { records: SummaryRecord[]; failNext(count: number): void } = {
    records,
    failNext(count) {
      failures = count;
    },
    async publish(record) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('broker unavailable');
      }
      records.push(record);
    },
    async close() {},
  };
  return publisher;
}

/** Captures what the bank registers, as the Functions host would see it. */
export function createRecordingRegistrar() {
  const registered = {
    http: new Map<string, HttpFunctionOptions>(),
    cosmosDB: new Map<string, CosmosDBv4FunctionOptions>(),
    timer: new Map<string, TimerFunctionOptions>(),
  };
  const registrar: FunctionRegistrar = {
    http: (name, options) => registered.http.set(name, options),
    cosmosDB: (name, options) => registered.cosmosDB.set(name, options),
    timer: (name, options) => registered.timer.set(name, options),
  };
  return { registrar, registered };
}

export interface BankFixture {
  readonly cosmos: TestCosmos;
  readonly databaseId: string;
  readonly bank: BankApp;
  readonly functions: BankFunctions;
  readonly registered: ReturnType<typeof createRecordingRegistrar>['registered'];
  readonly publisher: ReturnType<typeof createMemoryPublisher>;
  /** invokes an HTTP function the way the Functions host does, and reads its JSON body */
  call(
    name: string,
    request: { method?: string; params?: Record<string, string>; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Record<string, string>; body: unknown }>;
  /** every document of the events container, as a Cosmos DB trigger batch would carry them */
  eventDocuments(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function startBank(): Promise<BankFixture> {
  const cosmos = await startTestCosmos();
  const database = await cosmos.database('bank');
  await ensureContainers(cosmos.client, { databaseId: database.id });
  const publisher = createMemoryPublisher();
  const bank = createBankApp({ client: cosmos.client, databaseId: database.id, publisher, log: () => {} });
  const { registrar, registered } = createRecordingRegistrar();
  const functions = registerBankFunctions(registrar, bank, { databaseId: database.id });
  return {
    cosmos,
    databaseId: database.id,
    bank,
    functions,
    registered,
    publisher,
    async call(name, request) {
      const handler = functions.http[name];
      if (!handler) throw new Error(`no HTTP function ${name}`);
      const method = request.method ?? registered.http.get(name)?.methods?.[0] ?? 'POST';
      const body =
        request.body === undefined
          ? undefined
          : { string: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) };
      const httpRequest = new HttpRequest({
        method,
        url: `http://localhost/api/${name}`,
        params: request.params ?? {},
        headers: { 'content-type': 'application/json', ...request.headers },
        ...(body ? { body } : {}),
      });
      const response = (await handler(httpRequest, new InvocationContext({ functionName: name }))) as HttpResponseInit;
      return {
        status: response.status ?? 200,
        headers: (response.headers ?? {}) as Record<string, string>,
        body: response.jsonBody,
      };
    },
    async eventDocuments() {
      const { resources } = await bank.containers.events.items
        .query<Record<string, unknown>>('SELECT * FROM c')
        .fetchAll();
      return resources;
    },
    async close() {
      await cosmos.close();
    },
  };
}

/** A context for trigger and timer invocations that records what the function logged. */
export function triggerContext(functionName: string) {
  const logged: string[] = [];
  const context = new InvocationContext({
    functionName,
    logHandler: (_level, ...args) => logged.push(args.map(String).join(' ')),
  });
  return { context, logged };
}
