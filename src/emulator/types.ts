/** Operation classes the emulator counts and can inject faults into. */
export type OperationKind = 'read' | 'write' | 'batch' | 'query' | 'changefeed' | 'metadata';

/** Counters for one operation class (or all of them). */
export interface OpMetrics {
  /** HTTP requests answered, including failed and fault-injected ones (so SDK retries show up). */
  requests: number;
  /** Documents returned to the client (point reads, query results, change-feed documents). */
  documentsRead: number;
  /** Documents created, replaced, upserted, patched or deleted. */
  documentsWritten: number;
  /** Request body bytes received. */
  bytesIn: number;
  /** Response body bytes sent. */
  bytesOut: number;
}

export interface EmulatorMetrics {
  total: OpMetrics;
  byOperation: Record<OperationKind, OpMetrics>;
  /** Requests answered by an injected fault, per status code. */
  faultsInjected: Record<string, number>;
}

/** A fault rule: the next matching requests fail (or slow down) as described. */
export interface FaultRule {
  /** Which requests the rule applies to; `any` matches every data-plane request except metadata. */
  operation: Exclude<OperationKind, 'metadata'> | 'any';
  /**
   * Status to answer with. 410 performs a real live split of the range involved. 400 (queries only) refuses the
   * query as sent, as Cosmos DB's gateway refuses a cross-partition query it cannot serve without a query plan.
   * Omit with `latencyMs` alone.
   */
  status?: 429 | 503 | 410 | 408 | 400;
  /** How many requests the rule hits before it retires (default: unlimited). */
  count?: number;
  /** Probability in [0, 1] that a matching request is hit (default 1). */
  probability?: number;
  /** For 429: the `x-ms-retry-after-ms` the client is told to wait (default 10). */
  retryAfterMs?: number;
  /** Latency added before answering (alone: the request then proceeds normally). */
  latencyMs?: number;
  /** Destroy the connection without answering (the client sees a socket error). */
  drop?: boolean;
}

export interface LocalCosmosOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free port. */
  port?: number;
  /** Physical partitions (feed ranges) of each new container (default 1). */
  partitions?: number;
  /** Directory to persist everything in; reloaded on start. Omit for a purely in-memory server. */
  dataDir?: string;
  /** Base64 master key (default: the well-known emulator key). */
  key?: string;
  /**
   * Serve https with a self-signed certificate made at start (`LocalCosmos.certificate`). Needed for Entra ID
   * (`aadCredentials` with `localTokenCredential`): the SDK sends tokens only over https.
   */
  tls?: boolean;
  /** Refuse master-key requests (403), as an account deployed with `disableLocalAuth`; Entra ID tokens still work. */
  disableLocalAuth?: boolean;
}

export interface LocalCosmos {
  /** `http://127.0.0.1:<port>`, or `https://…` with `tls`. */
  endpoint: string;
  key: string;
  /** With `tls`: the server's certificate (PEM), for a client to trust, e.g. `new https.Agent({ ca: certificate })`. */
  certificate?: string;
  /** Flushes persistence and stops listening. */
  close(): Promise<void>;
  faults: { add(rule: FaultRule): void; clear(): void };
  metrics(): EmulatorMetrics;
  resetMetrics(): void;
  /** Splits a physical partition live (default: the first range); returns the ids of the two children. */
  split(database: string, container: string, rangeId?: string): Promise<[string, string]>;
}

/** The well-known key of the official Cosmos DB emulator. */
export const WELL_KNOWN_EMULATOR_KEY =
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';
