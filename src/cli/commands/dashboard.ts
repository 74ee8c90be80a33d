import type { Command } from '../command.ts';
import { connectionOptions, withConnection } from '../connection.ts';
import { UsageError } from '../usage-error.ts';

export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'Serve the dashboard read-only for any database (a deployed account, with a key or Entra ID): no app.',
  description:
    'Serves the dashboard on http://127.0.0.1:<port>/ for the database the connection options name: the processors\n' +
    'that keep leases there (checkpoints, lag, parked streams with their errors), the stream browser and the\n' +
    'read-only query box. It changes nothing: Replay is refused. Lag is measured every 2 s by reading the change\n' +
    'feed from each checkpoint (a few requests per processor and range).',
  options: {
    ...connectionOptions,
    port: { type: 'string', valueName: '<port>', description: 'HTTP port on 127.0.0.1 (default 7072; 0 picks one).' },
  },
  examples: [
    'tributary dashboard',
    'tributary dashboard --endpoint https://myaccount.documents.azure.com:443/ --database bank',
  ],
  async run(args, context) {
    const portText = typeof args.values.port === 'string' ? args.values.port : '7072';
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) {
      throw new UsageError(`--port ${JSON.stringify(portText)} is not a port (0 to 65535).`, context.commandPath);
    }
    const { startReadOnlyDashboard } = await import('../../dev/dashboard-server.ts');
    const { isLocalEndpoint } = await import('../../store/index.ts');
    return withConnection(args, context, async (connection) => {
      const dashboard = await startReadOnlyDashboard({
        client: connection.client,
        databaseId: connection.databaseId,
        endpoint: connection.endpoint,
        kind: isLocalEndpoint(connection.endpoint) ? 'local' : 'account',
        port: Number(portText),
        log: (line) => context.io.stderr.write(`${line}\n`),
      });
      context.io.stdout.write(
        `Tributary dashboard (read-only) for ${connection.description}, database "${connection.databaseId}": ` +
          `${dashboard.url}/\n` +
          `  Processors: ${dashboard.processors.join(', ') || 'none with leases yet'}\n` +
          'Press Ctrl-C to stop.\n',
      );
      const signal = await context.io.waitForInterrupt();
      context.io.stderr.write(`${signal}: stopping the dashboard…\n`);
      await dashboard.close();
      return 0;
    });
  },
};
