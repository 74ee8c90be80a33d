import type { Command } from '../command.ts';
import { connectionOptions, withConnection } from '../connection.ts';

export const initCommand: Command = {
  name: 'init',
  summary: 'Create the database and its containers (events, leases, views, dead-letters).',
  description:
    'Creates the database and the containers Tributary uses, with their partition keys and index policies.\n' +
    'Safe to run again: existing containers are left as they are.',
  options: connectionOptions,
  examples: ['tributary init', 'COSMOS_KEY=... tributary init --endpoint https://myaccount.documents.azure.com:443/'],
  async run(args, context) {
    const { ensureContainers, ContainerNames } = await import('../../store/index.ts');
    await withConnection(args, context, async ({ client, databaseId, description }) => {
      await ensureContainers(client, { databaseId });
      const names = Object.values(ContainerNames).join(', ');
      context.io.stdout.write(`Database "${databaseId}" in ${description} has containers ${names}.\n`);
    });
    return 0;
  },
};
