import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerDefinition, CosmosClient } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { StatementLine } from '../../../functions/bank/statement-lines.ts';
import { apiPrefix } from '../../../functions/http/api.ts';
import { cosmosTriggerConnection, parseSettings, SettingNames } from '../../../functions/settings.ts';
import { ArchiveUnavailable, defaultArchiveContainer } from '../../../src/archive/index.ts';
import { ContainerNames, ensureContainers } from '../../../src/store/index.ts';
import { bracketedAfter, paramDefault, parseBicepValue } from './bicep-literals.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const main = read('infra/main.bicep');
const cosmos = read('infra/modules/cosmos.bicep');
const eventHubs = read('infra/modules/event-hubs.bicep');
const functionApp = read('infra/modules/function-app.bicep');
const access = read('infra/modules/data-access.bicep');

/** The container definitions `ensureContainers` creates, captured with a stand-in client (no server needed). */
async function storeContainerDefinitions(): Promise<ContainerDefinition[]> {
  const created: ContainerDefinition[] = [];
  const database = {
    containers: { createIfNotExists: async (definition: ContainerDefinition) => created.push(definition) },
  };
  const client = { databases: { createIfNotExists: async () => ({ database }) }, database: () => database };
  await ensureContainers(client as unknown as CosmosClient, { databaseId: 'any' });
  return created;
}

interface BicepContainer {
  name: string;
  partitionKeyPath: string;
  indexingPolicy: Record<string, unknown>;
}

const modules = [...main.matchAll(/^module (\w+) '([^']+)' = /gm)].map((match) => ({
  path: match[2] ?? '',
  block: bracketedAfter(main.slice(match.index), '= '),
}));

/** Bicep text with string literals emptied and comments removed, to count brackets. */
function withoutStringsAndComments(text: string): string {
  let out = '';
  let quoted = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (quoted) {
      if (char === "'") quoted = false;
    } else if (char === "'") {
      quoted = true;
    } else if (char === '/' && text[at + 1] === '/') {
      while (at < text.length && text[at] !== '\n') at++;
    } else {
      out += char;
    }
  }
  return out;
}

const bicepContainers = parseBicepValue(bracketedAfter(cosmos, 'var containers =')) as unknown as BicepContainer[];

const appSettings = (
  parseBicepValue(bracketedAfter(functionApp, 'appSettings:')) as { name: string; value: unknown }[]
).map((setting) => setting.name);

describe('the infrastructure and the code agree', () => {
  it('on every container: name, partition key and index policy, as ensureContainers creates them', async () => {
    const store = await storeContainerDefinitions();
    expect(bicepContainers.map((container) => container.name)).toEqual(Object.values(ContainerNames));
    expect(bicepContainers.map((container) => ({ id: container.name, paths: [container.partitionKeyPath] }))).toEqual(
      store.map((definition) => ({ id: definition.id, paths: definition.partitionKey?.paths })),
    );
    for (const definition of store) {
      const bicep = bicepContainers.find((container) => container.name === definition.id);
      expect(bicep?.indexingPolicy, `index policy of ${definition.id}`).toEqual(definition.indexingPolicy);
    }
    expect(store.every((definition) => definition.partitionKey?.version === 2)).toBe(true);
    expect(cosmos).toContain("partitionKey: { paths: [definition.partitionKeyPath], kind: 'Hash', version: 2 }");
  });

  it('on the event hub that carries the statement lines', () => {
    expect(paramDefault(main, 'statementLinesHubName')).toBe(StatementLine.topic);
    expect(main).toContain('hubName: statementLinesHubName');
    expect(eventHubs).toMatch(
      /resource hub 'Microsoft\.EventHub\/namespaces\/eventhubs@[\d-]+' = \{\s+parent: namespace\s+name: hubName/,
    );
  });

  it('on the app settings: the template sets every setting the app reads, and only those besides the host', () => {
    const read = [
      SettingNames.cosmosEndpoint,
      SettingNames.cosmosDatabase,
      SettingNames.eventHubsNamespace,
      `${cosmosTriggerConnection}__accountEndpoint`,
      `${cosmosTriggerConnection}__credential`,
    ];
    const host = appSettings.filter((name) => /^(AzureWebJobsStorage__|APPLICATIONINSIGHTS_)/.test(name));
    expect([...appSettings].sort()).toEqual([...read, ...host].sort());
    expect(appSettings).not.toContain(SettingNames.cosmosKey);
    expect(appSettings).not.toContain(SettingNames.eventHubsConnectionString);
  });

  it('on what the settings mean: in Azure the app uses its identity for Cosmos DB and Event Hubs', () => {
    const settings = parseSettings({
      COSMOS_ENDPOINT: 'https://cosmos-abc.documents.azure.com:443/',
      COSMOS_DATABASE: String(paramDefault(main, 'cosmosDatabaseName')),
      EVENTHUBS_NAMESPACE: 'evhns-abc.servicebus.windows.net',
    });
    expect(settings.cosmos.key).toBeUndefined();
    expect(settings.summaries).toEqual({ kind: 'eventHubsIdentity', namespace: 'evhns-abc.servicebus.windows.net' });
    // Bicep interpolation, not a JS template: the setting is the fully qualified namespace the settings expect.
    const bicepInterpolation = '$' + '{eventHubsNamespaceName}';
    expect(functionApp).toContain(
      `{ name: 'EVENTHUBS_NAMESPACE', value: '${bicepInterpolation}.servicebus.windows.net' }`,
    );
    expect(paramDefault(main, 'cosmosDatabaseName')).toBe(
      parseSettings({ COSMOS_ENDPOINT: 'https://x/' }).cosmos.databaseId,
    );
  });

  it('on the runtime: Flex Consumption, Linux, Node 22, as package.json requires', () => {
    const packageJson = JSON.parse(read('package.json')) as { engines: { node: string }; main: string };
    expect(packageJson.engines.node).toBe('>=22');
    expect(functionApp).toMatch(/runtime: \{ name: 'node', version: '22' \}/);
    expect(functionApp).toMatch(/sku: \{ name: 'FC1', tier: 'FlexConsumption' \}/);
    expect(functionApp).toContain("kind: 'functionapp,linux'");
    expect(functionApp).toContain("identity: { type: 'SystemAssigned' }");
    const hostJson = JSON.parse(read('host.json')) as { extensionBundle: { id: string; version: string } };
    expect(hostJson.extensionBundle).toEqual({
      id: 'Microsoft.Azure.Functions.ExtensionBundle',
      version: '[4.*, 5.0.0)',
    });
  });

  it('on host.json: the route prefix the dev host serves, logging levels, a timeout, and no host-level retry', () => {
    const hostJson = JSON.parse(read('host.json')) as {
      version: string;
      extensions: { http: { routePrefix: string } };
      logging: { logLevel: Record<string, string> };
      functionTimeout: string;
      retry?: unknown;
    };
    expect(hostJson.version).toBe('2.0');
    expect(`/${hostJson.extensions.http.routePrefix}`).toBe(apiPrefix);
    expect(hostJson.logging.logLevel).toMatchObject({ default: 'Information', Function: 'Information' });
    expect(hostJson.functionTimeout).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    // Cosmos DB trigger retries are configured per function (registrations.ts, `retry: triggerRetry`), not here.
    expect(hostJson.retry).toBeUndefined();
  });

  it('on security: local (key) auth is off everywhere and the identity has exactly the data roles it needs', () => {
    expect(cosmos).toContain('disableLocalAuth: true');
    expect(eventHubs).toContain('disableLocalAuth: true');
    expect(eventHubs).toContain("sku: { name: 'Standard', tier: 'Standard', capacity: 1 }");
    expect(functionApp).toContain('allowSharedKeyAccess: false');
    expect(read('infra/modules/monitoring.bicep')).toContain('DisableLocalAuth: true');
    expect(functionApp).toContain("{ name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }");
    expect(access).toContain("var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'");
    expect(access).toContain("var eventHubsDataSender = '2b629674-e913-4c01-ae53-ef4638d8f975'");
    expect(access).toMatch(/resource appCosmosAccess 'Microsoft\.DocumentDB\/databaseAccounts\/sqlRoleAssignments@/);
  });

  it('on the event archive: its own storage account without keys, the container the CLI reads, data access by role', () => {
    const archive = read('infra/modules/archive-storage.bicep');
    expect(paramDefault(main, 'archiveContainerName')).toBe(defaultArchiveContainer);
    expect(main).toContain('output TRIBUTARY_ARCHIVE_URL string = archive.outputs.blobEndpoint');
    expect(main).toContain('output TRIBUTARY_ARCHIVE_CONTAINER string = archive.outputs.containerName');
    expect(archive).toContain('allowSharedKeyAccess: false');
    expect(archive).toContain('allowBlobPublicAccess: false');
    // Storage Blob Data Contributor, the role ArchiveUnavailable tells the reader to check, on the container only
    expect(archive).toContain("var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'");
    expect(archive).toMatch(/resource appArchiveAccess '[^']+' = \{\s+scope: container/);
    expect(new ArchiveUnavailable('write', 'x').message).toContain('Storage Blob Data Contributor');
  });

  it('on the Cosmos DB capacity: serverless by default, provisioned on request', () => {
    expect(paramDefault(main, 'cosmosCapacityMode')).toBe('serverless');
    expect(cosmos).toContain("capabilities: serverless ? [{ name: 'EnableServerless' }] : []");
  });

  it('with itself: brackets balance and every module gets exactly the parameters it declares', () => {
    for (const file of ['infra/main.bicep', ...modules.map((module) => `infra/${module.path}`)]) {
      const text = withoutStringsAndComments(read(file));
      for (const [open, close] of [
        ['{', '}'],
        ['[', ']'],
        ['(', ')'],
      ] as const) {
        expect(text.split(open).length, `${open}${close} in ${file}`).toBe(text.split(close).length);
      }
    }
    for (const module of modules) {
      const declared = [...read(`infra/${module.path}`).matchAll(/^param (\w+) \w+( = .+)?$/gm)];
      const required = declared.filter((match) => match[2] === undefined).map((match) => match[1]);
      const passed = Object.keys(parseBicepValue(bracketedAfter(module.block, 'params:')) as Record<string, unknown>);
      expect(passed, `parameters of ${module.path}`).toEqual(expect.arrayContaining(required));
      for (const name of passed)
        expect(
          declared.map((match) => match[1]),
          `${module.path} declares ${name}`,
        ).toContain(name);
    }
  });

  it('on azd: the service deployed is the function app, and every parameter passed exists', () => {
    const azureYaml = read('azure.yaml');
    expect(azureYaml).toMatch(/services:\s+api:\s+project: \.\s+language: ts\s+host: function/);
    expect(functionApp).toContain("'azd-service-name': 'api'");
    const parameters = JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, unknown> };
    for (const name of Object.keys(parameters.parameters)) expect(main).toMatch(new RegExp(`^param ${name} `, 'm'));
  });
});
