import { z } from 'zod';
import { createProjection, type Projection, runProjection } from '../../../src/projections/index.ts';
import { runHandler } from '../../../src/streams/index.ts';
import {
  createKafkaSummaryPublisher,
  createSummaryReactor,
  defineSummaryContract,
  type KafkaConfigOverrides,
  kafkaConfigFromBrokers,
  type SummaryPublisher,
} from '../../../src/summaries/index.ts';
import {
  type Account,
  accountFold,
  fastProcessor,
  fastScheduler,
  foldTimeline,
  type PipelineEnvironment,
} from '../projections/fixtures.ts';

export const accountSummarySchema = z.object({
  owner: z.string(),
  balance: z.number(),
  transactions: z.number().int(),
});

export function accountSummaryContract(topic: string) {
  return defineSummaryContract({ name: 'AccountSummary', version: 1, schema: accountSummarySchema, topic });
}

export function balancesProjection(env: Pick<PipelineEnvironment, 'views'>): Projection<Account> {
  return createProjection<Account>({
    name: 'Balances',
    version: 1,
    container: env.views,
    categories: ['Account'],
    apply: (view, events, stream) => foldTimeline(view ?? accountFold.initial, events, stream),
  });
}

export const quickKafka = (brokers: readonly string[], extra: KafkaConfigOverrides = {}) =>
  kafkaConfigFromBrokers([...brokers], {
    requestTimeout: 5_000,
    connectionTimeout: 1_000,
    retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
    log: () => {},
    // the mock cluster answers a fetch only when its wait time is up, not when data arrives
    maxWaitTimeInMs: 100,
    ...extra,
  });

/** The whole read side: the Balances projection and the AccountSummary reactor, each under its own processor. */
export async function startPipeline(
  env: PipelineEnvironment,
  options: {
    topic: string;
    publisher?: SummaryPublisher;
    brokers?: readonly string[];
    kafka?: KafkaConfigOverrides;
    instanceId?: string;
    checkpointIntervalMs?: number;
  },
) {
  const publisher =
    options.publisher ?? createKafkaSummaryPublisher({ config: quickKafka(options.brokers ?? [], options.kafka) });
  const projection = balancesProjection(env);
  const summaries = createSummaryReactor({
    contract: accountSummaryContract(options.topic),
    category: env.accounts,
    render: (state) =>
      state.owner === undefined
        ? undefined
        : { owner: state.owner, balance: state.balance, transactions: state.transactions },
    publisher,
  });
  const processor = {
    ...fastProcessor,
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
    ...(options.checkpointIntervalMs ? { checkpointIntervalMs: options.checkpointIntervalMs } : {}),
  };
  const parking = { deadLetters: env.deadLetters, afterAttempts: 1_000 };
  const [views, reactor] = await Promise.all([
    runProjection(projection, { events: env.events, leases: env.leases, processor, scheduler: fastScheduler, parking }),
    runHandler(summaries, { events: env.events, leases: env.leases, processor, scheduler: fastScheduler, parking }),
  ]);
  return {
    projection,
    summaries,
    views,
    reactor,
    publisher,
    async stop() {
      await Promise.all([views.stop(), reactor.stop()]);
      await publisher.close();
    },
  };
}
