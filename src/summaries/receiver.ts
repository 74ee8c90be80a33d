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

/**
 * What became of a message: handed over, skipped as not newer than the last version handled for its stream, given to
 * `onUnreadable`, or answered `notYet` by the handler (its version is not recorded: it will be offered again).
 */
export type ReceiveOutcome = 'handled' | 'stale' | 'unreadable' | 'notYet';

/**
 * What a summary handler answers: nothing when the summary was handled, or `notYet` when something it needs (another
 * stream's summary) has not arrived; the consumer then offers it again later, after a delay and within a bound.
 */
export type SummaryHandlerOutcome = undefined | { readonly kind: 'notYet'; readonly reason: string };

/** Handles one summary; called in version order per stream, never twice at once for the same stream. */
// biome-ignore lint/suspicious/noConfusingVoidType: handlers written as `(s) => Promise<void>` before `notYet` existed stay assignable
export type SummaryHandler<T> = (summary: ReceivedSummary<T>) => Promise<SummaryHandlerOutcome | undefined | void>;

/**
 * Why a message could not be read: no Tributary envelope in its headers, a summary of another contract, a newer
 * version of the contract that this consumer's schema does not accept (upgrade the consumer), a body that is not
 * JSON, or a body that does not match the schema.
 */
export type UnreadableReason = 'not-a-summary' | 'other-contract' | 'newer-version' | 'not-json' | 'invalid-shape';

/** A message the consumer could not read, as it arrived, with what was wrong with it. */
export interface UnreadableMessage {
  readonly reason: UnreadableReason;
  /** a sentence saying what was wrong */
  readonly problem: string;
  /** the envelope, when the headers were readable */
  readonly envelope?: SummaryEnvelope | undefined;
  readonly headers: Readonly<Record<string, unknown>> | undefined;
  readonly value: unknown;
  readonly source: ReceivedSummary['source'];
}

export interface SummaryReceiverOptions<T> {
  /** when given, only this contract's summaries are handled, and bodies are validated against its schema */
  readonly contract?: SummaryContract<T>;
  readonly handle: SummaryHandler<T>;
  /**
   * Given every message that can't be read, which is then counted and passed over; nothing is dropped unseen. Keep
   * it somewhere (a dead-letter table, a log the team watches); throw to have the message delivered again instead.
   */
  readonly onUnreadable: (message: UnreadableMessage) => void | Promise<void>;
  readonly lastSeen?: LastSeenVersions;
}

export interface SummaryReceiver {
  /**
   * Handles one message; callers deliver a partition's messages one at a time, in order. `recorded`, when given, is
   * how `onUnreadable` sees the message (plain JSON, built only for a message that can't be read); by default the
   * headers and value as given.
   */
  receive(message: {
    readonly headers: Readonly<Record<string, unknown>> | undefined;
    readonly value: unknown;
    readonly source: ReceivedSummary['source'];
    recorded?(): { headers: Readonly<Record<string, unknown>> | undefined; value: unknown };
  }): Promise<ReceiveOutcome>;
  stats(): Readonly<Record<ReceiveOutcome, number>>;
}

/**
 * The protocol-independent half of a downstream consumer: reads the envelope from the headers, drops summaries whose
 * version is not newer than the last one handled for that stream (re-sends, redeliveries, out-of-date copies),
 * validates the body against the contract the consumer was built for, hands it over, and only then records the
 * version. A message it cannot read goes to `onUnreadable`. A newer version of the contract is read with this
 * consumer's schema: compatible versions (as `tributary contracts check` enforces) read fine.
 */
export function createSummaryReceiver<T>(options: SummaryReceiverOptions<T>): SummaryReceiver {
  // Without a store given, versions stay in this map: read and written without a promise per message.
  const lastSeen = options.lastSeen;
  const versions = new Map<string, bigint>();
  const counts: Record<ReceiveOutcome, number> = { handled: 0, stale: 0, unreadable: 0, notYet: 0 };
  const count = (outcome: ReceiveOutcome): ReceiveOutcome => {
    counts[outcome] += 1;
    return outcome;
  };

  async function unreadable(
    message: Parameters<SummaryReceiver['receive']>[0],
    source: ReceivedSummary['source'],
    reason: UnreadableReason,
    problem: string,
    envelope?: SummaryEnvelope,
  ): Promise<ReceiveOutcome> {
    const { headers, value } = message.recorded?.() ?? message;
    await options.onUnreadable({ reason, problem, envelope, headers, value, source });
    return count('unreadable');
  }

  return {
    async receive(message) {
      const { source } = message;
      const envelope = parseEnvelope(message.headers);
      if (!envelope) {
        const where = `at ${source.topic}/${source.partition}@${source.position}`;
        const problem = `the message ${where} has no summary envelope (ce_type, stream version)`;
        return unreadable(message, source, 'not-a-summary', problem);
      }
      const { contract } = options;
      const key = envelope.idempotencyKey;
      if (contract && envelope.contract !== contract.name) {
        const problem = `summary ${key} is of contract ${envelope.contract}, not ${contract.name} this consumer reads`;
        return unreadable(message, source, 'other-contract', problem, envelope);
      }
      const streamKey = `${envelope.contract}:${envelope.stream}`;
      const seen = lastSeen === undefined ? versions.get(streamKey) : await lastSeen.get(streamKey);
      if (seen !== undefined && envelope.version <= seen) return count('stale');
      let body = decodeBody(message.value);
      if (body === notJson) return unreadable(message, source, 'not-json', `summary ${key} is not JSON`, envelope);
      if (contract) {
        const parsed = contract.schema.safeParse(body);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
          return envelope.contractVersion > contract.version
            ? unreadable(
                message,
                source,
                'newer-version',
                `summary ${key} is of ${contract.name} v${envelope.contractVersion}, which this consumer (built ` +
                  `for v${contract.version}) can't read: ${issues}`,
                envelope,
              )
            : unreadable(
                message,
                source,
                'invalid-shape',
                `summary ${key} does not match ${contract.name}: ${issues}`,
                envelope,
              );
        }
        body = parsed.data;
      }
      const outcome = await options.handle({ envelope, body: body as T, source });
      if (outcome?.kind === 'notYet') return count('notYet');
      if (lastSeen === undefined) versions.set(streamKey, envelope.version);
      else await lastSeen.set(streamKey, envelope.version);
      return count('handled');
    },
    stats: () => ({ ...counts }),
  };
}

const notJson = Symbol('not JSON');

/**
 * Kafka delivers bytes; the Event Hubs AMQP SDK may hand over bytes, a string, or an already-decoded object.
 * `notJson` for no body or text that does not parse.
 */
function decodeBody(value: unknown): unknown {
  if (value === null || value === undefined) return notJson;
  const text = Buffer.isBuffer(value)
    ? value.toString('utf8')
    : value instanceof Uint8Array
      ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')
      : value;
  if (typeof text !== 'string') return value;
  try {
    return JSON.parse(text);
  } catch {
    return notJson;
  }
}
