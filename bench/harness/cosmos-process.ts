import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CosmosClient } from '@azure/cosmos';
import { WELL_KNOWN_EMULATOR_KEY } from '../../src/emulator/index.ts';

const serverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'emulator', 'main.ts');

/** The local Cosmos server in a process of its own, as Cosmos DB is to a real processor: its CPU is not the client's. */
export interface CosmosProcess {
  readonly endpoint: string;
  readonly client: CosmosClient;
  close(): Promise<void>;
}

/** Starts `src/emulator/main.ts` on a free port (the same program as `npm run cosmos`) and connects a client. */
export async function startCosmosProcess(options: { partitions?: number } = {}): Promise<CosmosProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', serverScript, '--port', '0', '--partitions', String(options.partitions ?? 1)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const endpoint = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', (line) => resolve(line.trim()))),
    exited.then(() =>
      Promise.reject(new Error('the local Cosmos server process exited before it printed its endpoint')),
    ),
  ]);
  const client = new CosmosClient({
    endpoint,
    key: WELL_KNOWN_EMULATOR_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  return {
    endpoint,
    client,
    close: async () => {
      client.dispose();
      process.off('exit', killOnExit);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
