/**
 * Kafka for tests: the librdkafka mock cluster from the package's `/testing` facet, and a TCP proxy in front of it
 * that a test can cut and restore to make the brokers unreachable without losing their data (a restarted mock comes
 * back empty on new ports).
 */
import net from 'node:net';
import { kafkaMockAvailable, startKafkaMockCluster } from '../../src/testing/kafka-mock.ts';

export interface TestKafka {
  /** `host:port` of each mock broker (plaintext) */
  readonly brokers: readonly string[];
  stop(): Promise<void>;
}

/** True when `kcat` is missing and TRIBUTARY_ALLOW_SKIP=1: use with `describe.skipIf(skipKafka)`. */
export const skipKafka = !kafkaMockAvailable() && process.env.TRIBUTARY_ALLOW_SKIP === '1';

/** Starts a 3-broker librdkafka mock cluster (fails with a message naming kcat when it is missing). */
export const startTestKafka: () => Promise<TestKafka> = startKafkaMockCluster;

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
