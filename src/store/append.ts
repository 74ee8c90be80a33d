import { jsonBytes } from '../codec/encoding.ts';
import { type AnyEvent, type Codec, encodeBody, encodeBodyDeflate } from '../codec/index.ts';
import { activeTraceContext } from '../tracing/trace-context.ts';
import { type AppendPlan, planAppend, type TipLimits, type TipPosition } from './calving.ts';
import {
  type CommandWindow,
  commandsUnfoldData,
  commandsUnfoldType,
  isEmptyCommandWindow,
  rememberCommand,
} from './commands.ts';
import type { EventDocument, UnfoldDocument } from './documents.ts';
import { AppendTooLarge, EventTooLarge } from './errors.ts';

/** Size limits of Cosmos DB that an append is checked against before anything is sent. */
export interface WriteLimits {
  /** the largest JSON an event may have (a Cosmos DB document is at most 2 MB, envelope included) */
  readonly maxEventBytes: number;
  /** the largest transactional batch request (Cosmos DB: 2 MB) */
  readonly maxRequestBytes: number;
}

export const defaultWriteLimits: WriteLimits = { maxEventBytes: 2_000_000, maxRequestBytes: 2_000_000 };

export interface AppendSettings {
  readonly tipLimits: TipLimits;
  readonly writeLimits: WriteLimits;
  readonly compressUnfolds: boolean;
  readonly maxCommandIds: number;
  readonly maxExpiredCommandIds: number;
}

/** What is stored with every event of one append, and the command it carries out. */
export interface AppendContext {
  readonly commandId?: string | undefined;
  /** the command's fingerprint, kept with its id (see commands.ts) */
  readonly fingerprint?: string | undefined;
  readonly correlationId?: string | undefined;
  readonly causationId?: string | undefined;
  readonly meta?: Record<string, unknown> | undefined;
}

export interface PreparedAppend {
  readonly plan: AppendPlan;
  readonly version: bigint;
  readonly commands: CommandWindow;
}

function encodeUnfold(type: string, data: unknown, version: bigint, at: string, compress: boolean): UnfoldDocument {
  // Equinox reads an unfold `d` that is a JSON string as deflated base64 whatever its flag: a string body is always
  // deflated, so that Equinox readers can load our tips.
  const body = typeof data === 'string' ? encodeBodyDeflate(data) : encodeBody(data, compress);
  return { i: Number(version), t: at, c: type, d: body.value, ...(body.encoding === 0 ? {} : { D: body.encoding }) };
}

/**
 * Turns decided events and unfolds into the documents of one append, validating every event and unfold with the
 * codec and checking Cosmos DB's size limits, so that a bad append throws before anything is sent.
 */
export function prepareAppend<E extends AnyEvent>(
  stream: string,
  current: {
    readonly version: bigint;
    readonly tip: TipPosition | undefined;
    readonly commands: CommandWindow;
  },
  decided: { readonly events: readonly E[]; readonly unfolds: readonly E[]; readonly result: unknown },
  codec: Codec<E>,
  context: AppendContext,
  settings: AppendSettings,
): PreparedAppend {
  const at = new Date().toISOString();
  const { maxEventBytes, maxRequestBytes } = settings.writeLimits;
  // the appending span, for the readers of each event (processors link their spans to it)
  const trace = activeTraceContext();
  const events = decided.events.map((event, offset) => {
    const version = current.version + BigInt(offset);
    const encoded = codec.encode(event, { stream, version });
    const document: EventDocument = {
      t: at,
      c: encoded.type,
      d: encoded.data,
      ...(context.meta === undefined ? {} : { m: context.meta }),
      ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
      ...(context.causationId === undefined ? {} : { causationId: context.causationId }),
      ...trace,
    };
    const bytes = jsonBytes(document);
    if (bytes > maxEventBytes) throw new EventTooLarge(stream, version, encoded.type, bytes, maxEventBytes);
    return document;
  });
  const version = current.version + BigInt(events.length);
  const commands =
    context.commandId === undefined
      ? current.commands
      : rememberCommand(
          current.commands,
          {
            id: context.commandId,
            v: Number(version),
            ...(decided.result === undefined ? {} : { r: decided.result }),
            ...(context.fingerprint === undefined ? {} : { f: context.fingerprint }),
          },
          settings,
        );
  const unfolds = decided.unfolds.map((unfold) => {
    const encoded = codec.encode(unfold, { stream, version });
    return encodeUnfold(encoded.type, encoded.data, version, at, settings.compressUnfolds);
  });
  if (!isEmptyCommandWindow(commands)) {
    unfolds.push(encodeUnfold(commandsUnfoldType, commandsUnfoldData(commands), version, at, settings.compressUnfolds));
  }
  const plan = planAppend(stream, current.tip, events, unfolds, settings.tipLimits);
  const requestBytes = jsonBytes(plan.tip) + (plan.calved ? jsonBytes(plan.calved) : 0);
  if (requestBytes > maxRequestBytes) {
    throw new AppendTooLarge(stream, current.version, events.length, requestBytes, maxRequestBytes);
  }
  return { plan, version, commands };
}
