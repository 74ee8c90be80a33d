// `npm run cosmos -- --port <port> [--partitions <n>] [--data <dir>] [--key <base64>] [--tls <file>] [--disable-local-auth]`
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startLocalCosmos } from './server.ts';

const usage =
  'usage: npm run cosmos -- --port <port> [--partitions <n>] [--data <dir>] [--key <base64>] [--tls <certificate file>] [--disable-local-auth]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

let values: {
  port?: string;
  partitions?: string;
  data?: string;
  key?: string;
  tls?: string;
  'disable-local-auth'?: boolean;
  help?: boolean;
};
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      partitions: { type: 'string' },
      data: { type: 'string' },
      key: { type: 'string' },
      tls: { type: 'string' },
      'disable-local-auth': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const port = Number(values.port ?? '8081');
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a TCP port, not ${values.port}.`);
const partitions = values.partitions === undefined ? undefined : Number(values.partitions);
if (partitions !== undefined && (!Number.isInteger(partitions) || partitions < 1)) {
  fail(`--partitions must be a positive integer, not ${values.partitions}.`);
}

const cosmos = await startLocalCosmos({
  port,
  ...(partitions !== undefined ? { partitions } : {}),
  ...(values.data !== undefined ? { dataDir: values.data } : {}),
  ...(values.key !== undefined ? { key: values.key } : {}),
  ...(values.tls !== undefined ? { tls: true } : {}),
  ...(values['disable-local-auth'] ? { disableLocalAuth: true } : {}),
}).catch((error: Error) => fail(`cannot start the local Cosmos server: ${error.message}`));
if (values.tls !== undefined && cosmos.certificate) {
  // Clients trust it with `NODE_EXTRA_CA_CERTS=<file>` or an https.Agent({ ca }); it is public, not a secret.
  try {
    writeFileSync(values.tls, cosmos.certificate);
  } catch (error) {
    await cosmos.close();
    fail(`cannot write the TLS certificate to ${values.tls}: ${(error as Error).message}`);
  }
}
process.stdout.write(`${cosmos.endpoint}\n`);

let stopping = false;
const stop = () => {
  // A second signal while the data directory is being flushed means "now": exit without waiting.
  if (stopping) process.exit(1);
  stopping = true;
  cosmos.close().then(
    () => process.exit(0),
    (error: Error) => {
      process.stderr.write(`error while stopping: ${error.message}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
