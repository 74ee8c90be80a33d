/**
 * A TCP proxy (127.0.0.1 only) in front of Kafka brokers that can turn the connections open at one moment into black
 * holes: the sockets stay open, bytes sent into them are swallowed and nothing comes back, as when a NAT or a load
 * balancer forgets a connection. Connections opened afterwards are forwarded normally.
 */
import net from 'node:net';

export interface BlackHoleProxy {
  /** one listening address per broker: give these to kafkajs as `brokers`, with `socketFactory` */
  readonly brokers: readonly string[];
  readonly socketFactory: (args: { host: string; port: number; onConnect: () => void }) => net.Socket;
  /** every connection open now swallows traffic from now on */
  blackHoleOpenConnections(): void;
  /** every connection, open now or opened later, swallows traffic: the brokers answer nothing at all */
  blackHoleEverything(): void;
  /** connections accepted so far */
  readonly accepted: number;
  close(): Promise<void>;
}

interface Pair {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
}

export async function startBlackHoleProxy(targets: readonly string[]): Promise<BlackHoleProxy> {
  const pairs = new Set<Pair>();
  const swallowed = new Set<net.Socket>();
  const servers: net.Server[] = [];
  const route = new Map<string, number>();
  let accepted = 0;
  let swallowNew = false;

  for (const target of targets) {
    const colon = target.lastIndexOf(':');
    const [host, port] = [target.slice(0, colon), Number(target.slice(colon + 1))];
    const server = net.createServer((client) => {
      accepted += 1;
      if (swallowNew) {
        swallowed.add(client);
        client.once('close', () => swallowed.delete(client));
        client.on('data', () => undefined).on('error', () => client.destroy());
        return;
      }
      const upstream = net.connect({ host, port });
      const pair = { client, upstream };
      pairs.add(pair);
      const end = () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).once('close', end);
      upstream.on('error', end).once('close', end);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as net.AddressInfo;
    route.set(target, address.port);
    servers.push(server);
  }

  const proxy: BlackHoleProxy = {
    brokers: [...route.values()].map((port) => `127.0.0.1:${port}`),
    // The brokers advertise their own ports in metadata: every connection is routed through the proxy.
    socketFactory: ({ host, port, onConnect }) => {
      const proxyPort = route.get(`${host}:${port}`) ?? [...route.values()].find((p) => p === port);
      if (proxyPort === undefined) throw new Error(`the proxy does not know broker ${host}:${port}`);
      return net.connect({ host: '127.0.0.1', port: proxyPort }, onConnect);
    },
    blackHoleOpenConnections() {
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.removeAllListeners('data');
        upstream.removeAllListeners('data');
        client.on('data', () => undefined);
        upstream.on('data', () => undefined);
      }
    },
    blackHoleEverything() {
      swallowNew = true;
      proxy.blackHoleOpenConnections();
    },
    get accepted() {
      return accepted;
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      for (const client of swallowed) client.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
  return proxy;
}
