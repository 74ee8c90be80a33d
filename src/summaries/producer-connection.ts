import type { Kafka, Producer, ProducerConfig } from 'kafkajs';

/**
 * The publisher's one producer, replaced rather than reused when it may be dead. A connection whose peer vanished
 * without a FIN (a NAT or load balancer dropping it, Event Hubs closing it idle after 240 s) looks open to the client
 * and swallows every request until it times out; kafkajs keeps such a connection and has no idle limit. So: any
 * failed or timed-out send replaces the producer (and with it every broker connection), and a producer idle for
 * longer than `maxIdleMs` is replaced before it sends again.
 */
export interface ProducerConnection {
  /** the current producer, connected (a new one after `replace()` or a long idle) */
  producer(): Promise<Producer>;
  /** records a successful send: the connection is alive as of now */
  used(): void;
  /** drops the current producer; the next `producer()` connects a new one */
  replace(): void;
  readonly replacements: number;
  /** disconnects the current producer, waiting at most `timeoutMs` (a dead connection may never answer) */
  close(timeoutMs: number): Promise<void>;
}

export interface ProducerConnectionOptions {
  readonly kafka: Kafka;
  readonly config: ProducerConfig;
  readonly maxIdleMs: number;
  /** monotonic ms; `performance.now` by default */
  readonly now?: () => number;
}

export function createProducerConnection(options: ProducerConnectionOptions): ProducerConnection {
  const now = options.now ?? (() => performance.now());
  let current: Promise<Producer> | undefined;
  let lastUsed = now();
  let replacements = 0;

  const discard = (dropped: Promise<Producer>) => {
    // Disconnecting a dead connection may itself hang or fail: nobody waits for it.
    void dropped.then((producer) => producer.disconnect()).catch(() => undefined);
  };

  const replace = () => {
    if (current === undefined) return;
    discard(current);
    current = undefined;
    replacements += 1;
  };

  return {
    producer() {
      if (current !== undefined && now() - lastUsed > options.maxIdleMs) replace();
      if (current === undefined) {
        const created = options.kafka.producer(options.config);
        const connecting = created.connect().then(() => created);
        current = connecting;
        lastUsed = now();
        connecting.catch(() => {
          if (current === connecting) current = undefined;
        });
      }
      return current;
    },
    used() {
      lastUsed = now();
    },
    replace,
    get replacements() {
      return replacements;
    },
    async close(timeoutMs) {
      const closing = current;
      current = undefined;
      if (closing === undefined) return;
      let timer: NodeJS.Timeout | undefined;
      const disconnected = closing.then((producer) => producer.disconnect()).catch(() => undefined);
      await Promise.race([
        disconnected,
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
