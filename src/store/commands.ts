import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TributaryError } from '../core/index.ts';

/**
 * Command ids recently applied to a stream, kept in the tip as an unfold so that a retried request (same command
 * id) is answered with its original outcome instead of being decided again. Bounded: the most recent ids are kept
 * whole (with their outcome and fingerprint); older ones leave a short digest behind for a while, so that a late
 * retry is recognised as expired instead of being applied a second time.
 */
export const commandsUnfoldType = '$commands';

const CommandRecord = z.object({
  /** the command id */
  id: z.string(),
  /** the stream version after the command was applied */
  v: z.number().int().nonnegative(),
  /** the decision's result (transactResult), JSON */
  r: z.unknown().optional(),
  /** the command's fingerprint (`commandFingerprint`); records written before fingerprints were kept have none */
  f: z.string().optional(),
});
export type CommandRecord = z.infer<typeof CommandRecord>;

const CommandsUnfold = z.object({
  ids: z.array(CommandRecord),
  /** digests of ids that dropped out of `ids`, oldest first, `digestBytes` each, base64 */
  x: z.string().optional(),
});

/** What a stream remembers of the commands it applied. */
export interface CommandWindow {
  /** the most recent commands, oldest first */
  readonly recent: readonly CommandRecord[];
  /** packed digests of older command ids, oldest first (base64; '' when none) */
  readonly expired: string;
}

export interface CommandWindowLimits {
  /** commands remembered whole */
  readonly maxCommandIds: number;
  /** older command ids remembered by digest only (0: none) */
  readonly maxExpiredCommandIds: number;
}

export const emptyCommandWindow: CommandWindow = { recent: [], expired: '' };

// 48 bits: among 10,000 remembered digests, a new id collides with one with a probability of about 4 in 10^11.
const digestBytes = 6;

const digestOf = (id: string) => createHash('sha256').update(id).digest().subarray(0, digestBytes);

/**
 * A command's fingerprint: its type and a hash of its canonical JSON body (keys sorted), so that a retry with the same
 * id can be told from a different command that reuses the id.
 */
export function commandFingerprint(type: string, body: unknown): string {
  const hash = createHash('sha256').update(canonicalJson(body)).digest('base64url').slice(0, 22);
  return `${type}:${hash}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function readCommands(data: unknown): CommandWindow {
  const parsed = CommandsUnfold.safeParse(data);
  return parsed.success ? { recent: parsed.data.ids, expired: parsed.data.x ?? '' } : emptyCommandWindow;
}

export type CommandLookup =
  | { readonly kind: 'new' }
  /** the same command again: answer with the record's outcome */
  | { readonly kind: 'repeat'; readonly record: CommandRecord }
  /** the id was applied to a different command */
  | { readonly kind: 'reused'; readonly record: CommandRecord }
  /** the id was applied too long ago for its outcome to be known */
  | { readonly kind: 'expired' };

/**
 * What the stream knows of command `id`. A record or a call without a fingerprint matches on the id alone (records
 * written before fingerprints were kept still answer retries).
 */
export function lookupCommand(window: CommandWindow, id: string, fingerprint?: string): CommandLookup {
  const record = window.recent.find((r) => r.id === id);
  if (record !== undefined) {
    const differs = fingerprint !== undefined && record.f !== undefined && record.f !== fingerprint;
    return differs ? { kind: 'reused', record } : { kind: 'repeat', record };
  }
  if (window.expired === '') return { kind: 'new' };
  const digests = Buffer.from(window.expired, 'base64');
  const digest = digestOf(id);
  for (let at = 0; at + digestBytes <= digests.length; at += digestBytes) {
    if (digest.equals(digests.subarray(at, at + digestBytes))) return { kind: 'expired' };
  }
  return { kind: 'new' };
}

/** The window after applying `record`: the oldest records beyond the limit leave their digests behind. */
export function rememberCommand(
  window: CommandWindow,
  record: CommandRecord,
  limits: CommandWindowLimits,
): CommandWindow {
  const recent = window.recent.filter((r) => r.id !== record.id);
  recent.push(record);
  const dropped = recent.splice(0, Math.max(0, recent.length - limits.maxCommandIds));
  if (dropped.length === 0) return { recent, expired: window.expired };
  const digests = Buffer.concat([Buffer.from(window.expired, 'base64'), ...dropped.map((r) => digestOf(r.id))]);
  const keep = Math.min(digests.length, limits.maxExpiredCommandIds * digestBytes);
  return { recent, expired: digests.subarray(digests.length - keep).toString('base64') };
}

export function commandsUnfoldData(window: CommandWindow): { ids: CommandRecord[]; x?: string } {
  return { ids: [...window.recent], ...(window.expired === '' ? {} : { x: window.expired }) };
}

export const isEmptyCommandWindow = (window: CommandWindow) => window.recent.length === 0 && window.expired === '';

/** A command id was sent again with a different command: the id cannot name both. */
export class CommandIdReused extends TributaryError {
  readonly code = 'CommandIdReused';
  constructor(
    readonly stream: string,
    readonly commandId: string,
    readonly appliedAtVersion: bigint,
  ) {
    super(
      `Command id "${commandId}" was already used on stream ${stream} (version ${appliedAtVersion}) for a different ` +
        'command or body. A retry must repeat the original request exactly; a new command needs a new id.',
    );
  }
}

/** A command id older than the stream's window of remembered outcomes: whether it was applied is known, its outcome is not. */
export class CommandIdExpired extends TributaryError {
  readonly code = 'CommandIdExpired';
  constructor(
    readonly stream: string,
    readonly commandId: string,
  ) {
    super(
      `Command id "${commandId}" was applied to stream ${stream} too long ago for its outcome to be kept; it is not ` +
        'applied again. If this is a late retry, read the stream to see its effect; a new command needs a new id.',
    );
  }
}
