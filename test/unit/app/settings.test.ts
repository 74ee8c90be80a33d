import { describe, expect, it } from 'vitest';
import { InvalidSettings, parseSettings } from '../../../functions/settings.ts';

const endpoint = 'https://bank.documents.azure.com:443/';

describe('the app settings', () => {
  it('default the database and send summaries to a local file when no broker is configured', () => {
    expect(parseSettings({ COSMOS_ENDPOINT: endpoint })).toEqual({
      cosmos: { endpoint, key: undefined, databaseId: 'tributary' },
      summaries: { kind: 'file', directory: '.tributary/summaries' },
    });
  });

  it('prefer the Event Hubs namespace (managed identity) over a connection string over plain brokers', () => {
    const all = {
      COSMOS_ENDPOINT: endpoint,
      EVENTHUBS_NAMESPACE: 'ns.servicebus.windows.net',
      EVENTHUBS_CONNECTION_STRING: 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=s',
      KAFKA_BROKERS: 'localhost:9092, localhost:9093',
    };
    expect(parseSettings(all).summaries.kind).toBe('eventHubsIdentity');
    expect(parseSettings({ ...all, EVENTHUBS_NAMESPACE: '' }).summaries.kind).toBe('eventHubsConnectionString');
    expect(parseSettings({ COSMOS_ENDPOINT: endpoint, KAFKA_BROKERS: 'a:1, b:2' }).summaries).toEqual({
      kind: 'kafkaBrokers',
      brokers: ['a:1', 'b:2'],
    });
  });

  it('use a key only when one is given, else the managed identity', () => {
    expect(parseSettings({ COSMOS_ENDPOINT: endpoint, COSMOS_KEY: 'c2VjcmV0' }).cosmos.key).toBe('c2VjcmV0');
    expect(parseSettings({ COSMOS_ENDPOINT: endpoint, COSMOS_KEY: '' }).cosmos.key).toBeUndefined();
  });

  it('name each bad setting, without repeating secret values', () => {
    const secret = 'Endpoint=sb://x/;SharedAccessKey=very-secret';
    const parse = () =>
      parseSettings({
        COSMOS_ENDPOINT: 'not a url',
        EVENTHUBS_NAMESPACE: 'contoso',
        EVENTHUBS_CONNECTION_STRING: secret,
      });
    expect(parse).toThrow(InvalidSettings);
    expect(parse).toThrow(
      /COSMOS_ENDPOINT must be the Cosmos DB account URL.*EVENTHUBS_NAMESPACE must be the fully qualified/,
    );
    try {
      parse();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('very-secret');
    }
  });
});
