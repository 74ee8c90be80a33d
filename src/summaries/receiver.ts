import type { SummaryContract } from './contract.ts';
import { parseEnvelope, type SummaryEnvelope } from './headers.ts';

/** A summary as a downstream consumer sees it. */
export interface ReceivedSummary<T = unknown> {
  readonly envelope: SummaryEnvelope;
  readonly body: T;
  /** where it came from: topic / event hub, partition, offset or sequence number */
  readonly source: { readonly topic: string; readonly partition: string; readonly position: string };
}

/**
 * The newest summary version a consumer has handled, per contract and stream. In memory by default; plug in a
 * durable store (a table, a row next to the consumer's own data) to keep the filter across restarts.
 */
export interface LastSeenVersions {
  get(key: string): Promise<bigint | undefined>;
  set(key: string, version: bigint): Promise<void>;
}

export function createInMemoryLastSeenVersions(): LastSeenVersions & { readonly size: number } {
  const versions = new Map<string, bigint>();
  return {
    get: async (key) => versions.get(key),
    set: async (key, version) => {
      versions.set(key, version);
    },
    get size() {
      return versions.size;
    },
  };
}

export type ReceiveOutcome = 'handled' | 'stale' | 'foreign' | 'rejected';

export interface SummaryReceiverOptions<T> {
  /** when given, only this contract's summaries are handled, and bodies are validated against its schema */
  readonly contract?: SummaryContract<T>;
  readonly handle: (summary: ReceivedSummary<T>) => Promise<void>;
  readonly lastSeen?: LastSeenVersions;
  /** told about a message that fails its contract's schema or is not JSON (it is skipped) */
  readonly onRejected?: (reason: string, source: ReceivedSummary['source']) => void;
}

export interface SummaryReceiver {
  /** Handles one message; callers deliver a partition's messages one at a time, in order. */
  receive(message: {
    headers: Readonly<Record<string, unknown>> | undefined;
    value: unknown;
    source: ReceivedSummary['source'];
  }): Promise<ReceiveOutcome>;
  stats(): Readonly<Record<ReceiveOutcome, number>>;
}

/**
 * The protocol-independent half of a downstream consumer: reads the envelope from the headers, drops summaries whose
 * version is not newer than the last one handled for that stream (re-sends, redeliveries, out-of-date copies),
 * validates the body, hands it over, and only then records the version.
 */
export function createSummaryReceiver<T>(options: SummaryReceiverOptions<T>): SummaryReceiver {
  const lastSeen = options.lastSeen ?? createInMemoryLastSeenVersions();
  const counts: Record<ReceiveOutcome, number> = { handled: 0, stale: 0, foreign: 0, rejected: 0 };
  const count = (outcome: ReceiveOutcome): ReceiveOutcome => {
    counts[outcome] += 1;
    return outcome;
  };

  return {
    async receive({ headers, value, source }) {
      const envelope = parseEnvelope(headers);
      if (!envelope) return count('foreign');
      const { contract } = options;
      if (contract && envelope.contract !== contract.name) return count('foreign');
      const key = `${envelope.contract}:${envelope.stream}`;
      const seen = await lastSeen.get(key);
      if (seen !== undefined && envelope.version <= seen) return count('stale');
      let body: unknown;
      try {
        body = decodeBody(value);
      } catch {
        options.onRejected?.(`summary ${envelope.idempotencyKey} is not JSON`, source);
        return count('rejected');
      }
      if (contract) {
        const parsed = contract.schema.safeParse(body);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
          options.onRejected?.(`summary ${envelope.idempotencyKey} does not match ${contract.name}: ${issues}`, source);
          return count('rejected');
        }
        body = parsed.data;
      }
      await options.handle({ envelope, body: body as T, source });
      await lastSeen.set(key, envelope.version);
      return count('handled');
    },
    stats: () => ({ ...counts }),
  };
}

/** Kafka delivers bytes; the Event Hubs AMQP SDK may hand over bytes, a string, or an already-decoded object. */
function decodeBody(value: unknown): unknown {
  if (value === null || value === undefined) throw new Error('empty');
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return JSON.parse(Buffer.from(value).toString('utf8'));
  if (typeof value === 'string') return JSON.parse(value);
  return value;
}
