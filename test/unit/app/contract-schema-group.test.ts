import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectSchemaRegistry } from '../../../src/summaries/index.ts';
import { bracketedAfter, paramDefault, parseBicepValue } from './bicep-literals.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const main = read('infra/main.bicep');
const eventHubs = read('infra/modules/event-hubs.bicep');
const access = read('infra/modules/data-access.bicep');

describe('the schema group of the summary contracts in the infrastructure', () => {
  it('is a JSON schema group of the Event Hubs namespace, adding no compatibility rule of its own', () => {
    expect(eventHubs).toMatch(
      /resource contractSchemas 'Microsoft\.EventHub\/namespaces\/schemagroups@[\d-]+' = \{\s+parent: namespace\s+name: schemaGroupName/,
    );
    expect(
      parseBicepValue(bracketedAfter(eventHubs.slice(eventHubs.indexOf('resource contractSchemas')), 'properties:')),
    ).toEqual({ schemaCompatibility: 'None', schemaType: 'Json' });
  });

  it('is named by a parameter of main.bicep and given to azd as EVENTHUBS_SCHEMA_GROUP', () => {
    expect(paramDefault(main, 'contractSchemaGroupName')).toBe('tributary-contracts');
    expect(main).toContain('schemaGroupName: contractSchemaGroupName');
    expect(main).toContain('output EVENTHUBS_SCHEMA_GROUP string = eventHubs.outputs.schemaGroupName');
    expect(eventHubs).toContain('output schemaGroupName string = contractSchemas.name');
  });

  it('lets the deploying user register schemas (Schema Registry Contributor), and only the user', () => {
    expect(access).toContain("var schemaRegistryContributor = '5dffeca3-4936-4216-b2bc-10343a5abb25'");
    const assignment = access.slice(access.indexOf('resource userSchemaRegistry'));
    expect(assignment).toMatch(/^resource userSchemaRegistry '[^']+' = if \(!empty\(userPrincipalId\)\)/);
    expect(bracketedAfter(assignment, 'properties:')).toContain('principalId: userPrincipalId');
  });

  it('is reached by the CLI through @azure/schema-registry, loaded only when a registry is named', async () => {
    const registry = await connectSchemaRegistry({
      namespace: 'contoso.servicebus.windows.net',
      group: 'tributary-contracts',
      credential: { getToken: async () => null },
    });
    expect(typeof registry.published).toBe('function');
    expect(typeof registry.register).toBe('function');
  });
});
