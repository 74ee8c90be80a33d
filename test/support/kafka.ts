/**
 * Kafka for tests: the librdkafka mock cluster kept alive by `kcat` (DESIGN.md §6), and a TCP proxy in front of it
 * that a test can cut and restore to make the brokers unreachable without losing their data (a restarted mock comes
 * back empty on new ports).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

export interface TestKafka {
  /** `host:port` of each mock broker (plaintext) */
  readonly brokers: readonly string[];
  stop(): Promise<void>;
}

const allowSkip = process.env.TRIBUTARY_ALLOW_SKIP === '1';
const kcatInstalled = spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;

/** True when `kcat` is missing and TRIBUTARY_ALLOW_SKIP=1: use with `describe.skipIf(skipKafka)`. */
export const skipKafka = !kcatInstalled && allowSkip;

const bootstrapPattern = /bootstrap\.servers=([0-9.:,]+)/;

/**
 * Starts a 3-broker librdkafka mock cluster. Topics are auto-created with 4 partitions; produce, fetch and consumer
 * groups work with kafkajs, admin calls and SASL do not.
 */
export async function startTestKafka(): Promise<TestKafka> {
  if (!kcatInstalled) {
    throw new Error(
      'kcat is not installed: the Kafka integration tests run against the librdkafka mock cluster that kcat starts. ' +
        'Install kcat (apt-get install kcat) or set TRIBUTARY_ALLOW_SKIP=1 to skip these tests.',
    );
  }
  const child = spawn(
    'kcat',
    ['-b', '127.0.0.1:1', '-X', 'test.mock.num.brokers=3', '-d', 'mock', '-C', '-t', '__keepalive', '-o', 'end', '-q'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    const brokers = await readBootstrap(child);
    return {
      brokers,
      async stop() {
        process.off('exit', killOnExit);
        await stopChild(child);
      },
    };
  } catch (error) {
    process.off('exit', killOnExit);
    await stopChild(child);
    throw error;
  }
}

function readBootstrap(child: ChildProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let found = false;
    const timer = setTimeout(
      () => fail(new Error('kcat did not print the mock cluster bootstrap servers within 10 s')),
      10_000,
    );
    const fail = (error: Error) => {
      if (found) return;
      found = true;
      clearTimeout(timer);
      reject(error);
    };
    // The mock logs every request at debug level; the stream must keep being drained or kcat blocks on a full pipe.
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (found) return;
      buffered += chunk;
      const match = bootstrapPattern.exec(buffered);
      if (match?.[1]) {
        found = true;
        clearTimeout(timer);
        resolve(match[1].split(','));
      } else if (buffered.length > 1_000_000) {
        buffered = buffered.slice(-10_000);
      }
    });
    child.once('error', (error) => fail(new Error(`kcat failed to start: ${error.message}`)));
    child.once('exit', (code) => fail(new Error(`kcat exited with code ${code} before printing bootstrap servers`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}

/** Socket factory signature of kafkajs (`KafkaConfig.socketFactory`). */
export type SocketFactory = (args: { host: string; port: number; onConnect: () => void }) => net.Socket;

export interface KafkaProxy {
  /** the proxy's listening addresses, one per broker: give these to kafkajs as `brokers` */
  readonly brokers: readonly string[];
  /**
   * Routes every kafkajs connection through the proxy. The mock advertises its real ports in metadata responses,
   * so kafkajs would otherwise bypass the proxy for every connection after the bootstrap.
   */
  readonly socketFactory: SocketFactory;
  /** drops every open connection and resets new ones until `restore()`: the brokers look unreachable */
  cut(): void;
  restore(): void;
  /** connections accepted and dropped while cut (a test can wait for the client to have noticed) */
  readonly refusedWhileCut: number;
  close(): Promise<void>;
}

/** A TCP proxy with one listener per broker, in front of the given `host:port` brokers. */
export async function startKafkaProxy(targets: readonly string[]): Promise<KafkaProxy> {
  let cut = false;
  let refused = 0;
  const live = new Set<net.Socket>();
  const servers: net.Server[] = [];
  const route = new Map<string, number>();

  for (const target of targets) {
    const [host, portText] = splitAddress(target);
    const server = net.createServer((client) => {
      if (cut) {
        refused += 1;
        client.resetAndDestroy();
        return;
      }
      const upstream = net.connect({ host, port: Number(portText) });
      for (const socket of [client, upstream]) {
        live.add(socket);
        socket.once('close', () => live.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy listener has no TCP address');
    route.set(target, address.port);
    servers.push(server);
  }

  const socketFactory: SocketFactory = ({ host, port, onConnect }) => {
    const proxyPort = route.get(`${host}:${port}`) ?? [...route.entries()].find(([, p]) => p === port)?.[1];
    if (proxyPort === undefined) throw new Error(`the Kafka proxy does not know broker ${host}:${port}`);
    const socket = net.connect({ host: '127.0.0.1', port: proxyPort }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };

  return {
    brokers: [...route.values()].map((port) => `127.0.0.1:${port}`),
    socketFactory,
    cut() {
      cut = true;
      for (const socket of live) socket.resetAndDestroy();
    },
    restore() {
      cut = false;
    },
    get refusedWhileCut() {
      return refused;
    },
    async close() {
      for (const socket of live) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

function splitAddress(address: string): [string, string] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), address.slice(colon + 1)];
}
