import type { TokenCredential } from '@azure/identity';
import type { ConsumerConfig, ISocketFactory, KafkaConfig, LogEntry, ProducerConfig, RetryOptions } from 'kafkajs';
import { z } from 'zod';
import { parseOptions } from '../core/index.ts';
import { InvalidKafkaConfig } from './errors.ts';
import { kafkajs } from './kafkajs.ts';
import { maxSummaryMessageBytes } from './limits.ts';

/**
 * Everything a kafkajs client needs to publish and consume summaries, with settings that are safe on the Event Hubs
 * Kafka endpoint. `new Kafka(config.client)`, `kafka.producer(config.producer)`, `send({ ...config.send })`.
 */
export interface SummaryKafkaConfig {
  readonly client: KafkaConfig;
  readonly producer: ProducerConfig;
  /** consumer settings without the group id (the caller names its group) */
  readonly consumer: Omit<ConsumerConfig, 'groupId'>;
  /** per-send settings: wait for all in-sync replicas, gzip (the only codec Event Hubs accepts) */
  readonly send: { readonly acks: -1; readonly compression: 1; readonly timeout: number };
  /** largest serialized summary (value + key + headers) the publisher will send */
  readonly maxMessageBytes: number;
  /** when the publisher replaces its producer: see `createKafkaSummaryPublisher` */
  readonly connection: {
    /** a producer idle this long is replaced before it sends (Event Hubs closes idle connections at 240 s) */
    readonly maxIdleMs: number;
    /** a send not answered within this long is abandoned and its producer replaced */
    readonly attemptTimeoutMs: number;
    /** how long `close()` waits for publishes in flight (and the disconnect) before it gives up on them */
    readonly closeTimeoutMs: number;
  };
  /** removes secrets (the connection string) from a text before it is logged or put in an error */
  redact(text: string): string;
}

export interface KafkaLogEntry {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly namespace: string;
  readonly message: string;
}

export { maxSummaryMessageBytes };

const eventHubsLimits = { minRequestTimeout: 60_000, maxMetadataAge: 180_000, idleClose: 240_000 };

const defaults = {
  clientId: 'tributary',
  requestTimeout: 60_000,
  connectionTimeout: 10_000,
  metadataMaxAge: 180_000,
  maxIdleMs: 170_000,
  retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 30_000 } satisfies RetryOptions,
};

const retrySchema = z.object({
  retries: z.number().int().min(0).optional(),
  initialRetryTime: z.number().int().positive().optional(),
  maxRetryTime: z.number().int().positive().optional(),
  factor: z.number().min(0).optional(),
  multiplier: z.number().positive().optional(),
});

const isFunction = (value: unknown) => typeof value === 'function';

const overridesSchema = z.object({
  clientId: z.string().min(1).max(255).optional(),
  /** ms to wait for a broker response; Event Hubs needs ≥ 60,000 */
  requestTimeout: z.number().int().positive().optional(),
  /** ms to establish a TCP (+TLS) connection */
  connectionTimeout: z.number().int().positive().optional(),
  /** ms after which cached metadata is refreshed; ≤ 180,000 for Event Hubs (it closes idle connections at 240 s) */
  metadataMaxAge: z.number().int().positive().optional(),
  /** a publisher idle this long connects anew before it sends; default 170,000 ms (< 240 s on Event Hubs) */
  maxIdleMs: z.number().int().positive().optional(),
  /** a publish not answered within this long replaces the connection and is tried once more; default requestTimeout + 5 s */
  publishAttemptTimeoutMs: z.number().int().positive().optional(),
  /** how long the publisher's close() waits for publishes in flight; default 10,000 ms */
  closeTimeoutMs: z.number().int().positive().optional(),
  /** kafkajs's retry settings (ms); default 8 retries from 300 ms up to 30 s */
  retry: retrySchema.optional(),
  /** kafkajs's idempotent producer (supported by Event Hubs, not by the local mock cluster); default false */
  idempotent: z.boolean().optional(),
  /** how long a consumer's fetch waits for new data at the broker; default 5,000 ms (kafkajs's default) */
  maxWaitTimeInMs: z.number().int().positive().optional(),
  /** receives kafkajs log entries with secrets removed; default: errors and warnings to stderr */
  log: z.custom<(entry: KafkaLogEntry) => void>(isFunction, 'expected a function').optional(),
  socketFactory: z.custom<ISocketFactory>(isFunction, 'expected a function').optional(),
});

/** Settings a caller may change; the Event Hubs variants refuse values the endpoint is known to punish. */
export type KafkaConfigOverrides = z.input<typeof overridesSchema>;

/** `InvalidKafkaConfig` in the shape `parseOptions` raises it. */
class InvalidKafkaSettings extends InvalidKafkaConfig {
  constructor(where: string, problems: readonly string[]) {
    super(`Invalid Kafka settings for ${where}: ${problems.join('; ')}.`);
  }
}

const eventHubsOverridesSchema = overridesSchema
  .refine((o) => o.requestTimeout === undefined || o.requestTimeout >= eventHubsLimits.minRequestTimeout, {
    message: `requestTimeout must be at least ${eventHubsLimits.minRequestTimeout} ms on Event Hubs`,
  })
  .refine((o) => o.metadataMaxAge === undefined || o.metadataMaxAge <= eventHubsLimits.maxMetadataAge, {
    message: `metadataMaxAge must be at most ${eventHubsLimits.maxMetadataAge} ms on Event Hubs (idle connections close at 240 s)`,
  })
  .refine((o) => o.maxIdleMs === undefined || o.maxIdleMs < eventHubsLimits.idleClose, {
    message: `maxIdleMs must be under ${eventHubsLimits.idleClose} ms on Event Hubs (it closes idle connections then)`,
  });

const brokersSchema = z
  .array(z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'each broker must be "host:port"'))
  .min(1, 'at least one broker is needed');

const namespaceSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9](\.[A-Za-z0-9-]+)*$/, 'expected an Event Hubs namespace name or host');

/**
 * Client settings for the Event Hubs Kafka endpoint, authenticated with a namespace (or event hub) connection string:
 * bootstrap `<namespace>.servicebus.windows.net:9093`, SASL_SSL with PLAIN, username `$ConnectionString`.
 */
export function kafkaConfigFromEventHubsConnectionString(
  connectionString: string,
  overrides: KafkaConfigOverrides = {},
): SummaryKafkaConfig {
  const host = eventHubsHost(connectionString);
  const options = parseOptions(
    eventHubsOverridesSchema,
    overrides,
    'kafkaConfigFromEventHubsConnectionString',
    InvalidKafkaSettings,
  );
  const sasl = { mechanism: 'plain' as const, username: '$ConnectionString' } as {
    mechanism: 'plain';
    username: string;
    password: string;
  };
  // Not enumerable: the config can be logged or JSON-serialized without printing the connection string.
  Object.defineProperty(sasl, 'password', { value: connectionString, enumerable: false });
  return buildConfig({ brokers: [`${host}:9093`], ssl: true, sasl }, options, true, [connectionString]);
}

/**
 * Client settings for the Event Hubs Kafka endpoint with Microsoft Entra ID: SASL_SSL with OAUTHBEARER, tokens from
 * `credential` (e.g. `DefaultAzureCredential`, a managed identity) for scope `https://<namespace>/.default`.
 */
export function kafkaConfigFromEventHubsCredential(
  namespace: string,
  credential: TokenCredential,
  overrides: KafkaConfigOverrides = {},
): SummaryKafkaConfig {
  const parsed = namespaceSchema.safeParse(namespace);
  if (!parsed.success) {
    throw new InvalidKafkaConfig(
      `Invalid Event Hubs namespace ${JSON.stringify(namespace)}: expected a name like "contoso" or a host like "contoso.servicebus.windows.net".`,
    );
  }
  const host = namespace.includes('.') ? namespace : `${namespace}.servicebus.windows.net`;
  const options = parseOptions(
    eventHubsOverridesSchema,
    overrides,
    'kafkaConfigFromEventHubsCredential',
    InvalidKafkaSettings,
  );
  const scope = `https://${host}/.default`;
  const sasl = {
    mechanism: 'oauthbearer' as const,
    oauthBearerProvider: async () => {
      const token = await credential.getToken(scope);
      if (!token) throw new InvalidKafkaConfig(`The credential returned no token for scope ${scope}.`);
      return { value: token.token };
    },
  };
  return buildConfig({ brokers: [`${host}:9093`], ssl: true, sasl }, options, true, []);
}

/** Client settings for plain (unauthenticated, unencrypted) brokers: a local Kafka, Redpanda, or a test cluster. */
export function kafkaConfigFromBrokers(
  brokers: readonly string[],
  overrides: KafkaConfigOverrides = {},
): SummaryKafkaConfig {
  const { brokers: parsed, ...options } = parseOptions(
    overridesSchema.extend({ brokers: brokersSchema }),
    { ...overrides, brokers },
    'kafkaConfigFromBrokers',
    InvalidKafkaSettings,
  );
  return buildConfig({ brokers: parsed }, options, false, []);
}

type Overrides = z.output<typeof overridesSchema>;

function buildConfig(
  connection: Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'>,
  options: Overrides,
  eventHubs: boolean,
  secrets: string[],
): SummaryKafkaConfig {
  const redact = (text: string) => redactAll(text, secrets);
  const log = options.log ?? defaultLog;
  const requestTimeout = options.requestTimeout ?? defaults.requestTimeout;
  const metadataMaxAge = options.metadataMaxAge ?? defaults.metadataMaxAge;
  const retry = { ...defaults.retry, ...options.retry };
  const client: KafkaConfig = {
    ...connection,
    clientId: options.clientId ?? defaults.clientId,
    requestTimeout,
    enforceRequestTimeout: true,
    connectionTimeout: options.connectionTimeout ?? defaults.connectionTimeout,
    retry,
    logLevel: 2,
    logCreator: () => (entry: LogEntry) => log(toLogEntry(entry, redact)),
  };
  if (options.socketFactory) client.socketFactory = options.socketFactory;
  return {
    client,
    producer: {
      // One request in flight per broker connection: a retried produce request can never be overtaken by a later one,
      // so summaries of a stream (one key, one partition) land in the order they were sent.
      maxInFlightRequests: 1,
      // murmur2 on the key, as Java clients do: a stream lands on the same partition whoever publishes it
      createPartitioner: kafkajs().Partitioners.DefaultPartitioner,
      idempotent: options.idempotent ?? false,
      // Event Hubs topics are event hubs: created through Azure, never by a client's metadata request.
      allowAutoTopicCreation: !eventHubs,
      metadataMaxAge,
      retry,
    },
    consumer: {
      // Event Hubs recommends session.timeout.ms 30,000 and heartbeat.interval.ms 3,000.
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      rebalanceTimeout: 60_000,
      metadataMaxAge,
      maxBytesPerPartition: 1_048_576,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 5_000,
      allowAutoTopicCreation: !eventHubs,
      retry,
    },
    send: { acks: -1, compression: 1, timeout: requestTimeout },
    maxMessageBytes: maxSummaryMessageBytes,
    connection: {
      maxIdleMs: options.maxIdleMs ?? defaults.maxIdleMs,
      attemptTimeoutMs: options.publishAttemptTimeoutMs ?? requestTimeout + 5_000,
      closeTimeoutMs: options.closeTimeoutMs ?? 10_000,
    },
    redact,
  };
}

/**
 * The namespace host of a connection string `Endpoint=sb://<ns>.servicebus.windows.net/;SharedAccessKeyName=…;
 * SharedAccessKey=…[;EntityPath=…]`. Errors name the missing part, never the string's content. A string with a
 * generated `SharedAccessSignature=` token is refused: the Kafka endpoint's SASL PLAIN login takes a key-based string.
 */
function eventHubsHost(connectionString: string): string {
  if (typeof connectionString !== 'string' || connectionString.trim() === '') {
    throw new InvalidKafkaConfig('The Event Hubs connection string is empty.');
  }
  const parts = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const endpoint = parts.get('endpoint');
  const host = endpoint ? /^sb:\/\/([^/:;]+)\/?$/i.exec(endpoint)?.[1] : undefined;
  if (!host || !namespaceSchema.safeParse(host).success) {
    throw new InvalidKafkaConfig(
      'The Event Hubs connection string has no valid "Endpoint=sb://<namespace>.servicebus.windows.net/" part ' +
        '(its content is not shown because it holds a secret).',
    );
  }
  if (parts.get('sharedaccesssignature')) {
    throw new InvalidKafkaConfig(
      'The Event Hubs connection string carries a "SharedAccessSignature=…" token: the Kafka endpoint accepts only ' +
        'a key-based connection string ("SharedAccessKeyName=…;SharedAccessKey=…") or OAuth. Use the namespace\'s ' +
        "or event hub's shared access key, or kafkaConfigFromEventHubsCredential with an Entra ID credential (its " +
        'content is not shown because it holds a secret).',
    );
  }
  if (!parts.get('sharedaccesskeyname') || !parts.get('sharedaccesskey')) {
    throw new InvalidKafkaConfig(
      'The Event Hubs connection string has no "SharedAccessKeyName=…;SharedAccessKey=…" (its content is not shown ' +
        'because it holds a secret).',
    );
  }
  return host.toLowerCase();
}

function redactAll(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('[redacted]');
    for (const pattern of [/SharedAccessKey=([^;]+)/i, /SharedAccessSignature=([^;]+)/i]) {
      const value = pattern.exec(secret)?.[1];
      if (value) out = out.split(value).join('[redacted]');
    }
  }
  return out;
}

const levelNames = { 1: 'error', 2: 'warn', 4: 'info', 5: 'debug' } as const;

function toLogEntry(entry: LogEntry, redact: (text: string) => string): KafkaLogEntry {
  const { message, ...extra } = entry.log;
  const details = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
  return {
    level: levelNames[entry.level as 1 | 2 | 4 | 5] ?? 'info',
    namespace: entry.namespace,
    message: redact(`${message}${details}`),
  };
}

function defaultLog(entry: KafkaLogEntry): void {
  if (entry.level === 'error' || entry.level === 'warn') {
    process.stderr.write(`[kafka ${entry.level}] ${entry.namespace}: ${entry.message}\n`);
  }
}
