import type { DevHost } from './host.ts';

/** The banner `npm start` prints: where the API, dashboard, Cosmos and summaries are. Never a key. */
export function describeDevHost(host: DevHost): string {
  const cosmos =
    host.cosmos.kind === 'local'
      ? `${host.cosmos.endpoint} (local server, well-known emulator key, database "${host.cosmos.databaseId}")`
      : `${host.cosmos.endpoint} (database "${host.cosmos.databaseId}", ${host.cosmos.auth === 'entra' ? 'Microsoft Entra ID' : 'key from COSMOS_KEY'})`;
  const lines = [
    '',
    'Tributary dev host is running',
    `  API:         ${host.apiUrl}`,
    `  Dashboard:   ${host.dashboardUrl}`,
    `  Cosmos DB:   ${cosmos}`,
    `  Summaries:   ${host.summarySink.kind} → ${host.summarySink.target}`,
    `  Processors:  ${host.processors.map((processor) => processor.name).join(', ')}`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  return lines.join('\n');
}
