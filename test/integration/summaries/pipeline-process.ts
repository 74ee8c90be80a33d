/**
 * The read-side pipeline as a separate process, so that a test can SIGKILL it mid-run. Configured by environment:
 * COSMOS_TEST_ENDPOINT, COSMOS_TEST_KEY, PIPELINE_DATABASE, PIPELINE_TOPIC, PIPELINE_BROKERS (comma-separated),
 * PIPELINE_CHECKPOINT_MS (how often checkpoints are written; default 100).
 */
import { CosmosClient } from '@azure/cosmos';
import { ContainerNames, createCosmosStore } from '../../../src/store/index.ts';
import { accountCodec, accountFold } from '../projections/fixtures.ts';
import { startPipeline } from './fixtures.ts';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const client = new CosmosClient({
  endpoint: required('COSMOS_TEST_ENDPOINT'),
  key: required('COSMOS_TEST_KEY'),
  connectionPolicy: { enableEndpointDiscovery: false },
});
const databaseId = required('PIPELINE_DATABASE');
const database = client.database(databaseId);
const store = createCosmosStore({ client, databaseId });
const env = {
  store,
  accounts: store.category({ name: 'Account', codec: accountCodec, fold: accountFold }),
  events: store.container,
  leases: database.container(ContainerNames.leases),
  views: database.container(ContainerNames.views),
  deadLetters: database.container(ContainerNames.deadLetters),
  databaseId,
};
await startPipeline(env, {
  topic: required('PIPELINE_TOPIC'),
  brokers: required('PIPELINE_BROKERS').split(','),
  instanceId: `child-${process.pid}`,
  checkpointIntervalMs: Number(process.env.PIPELINE_CHECKPOINT_MS ?? 100),
});
process.stdout.write('ready\n');
