import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { StreamSpan, TimelineEvent } from '../core/index.ts';
import type { ArchiveBlob } from './archive-blobs.ts';
import { TornArchiveBlob } from './errors.ts';
import { archiveFormat } from './layout.ts';

/**
 * One archived event: a line of a segment. The fields are those of an Equinox event (`t`, `c`, `d`, `m`,
 * `correlationId`, `causationId`) plus the stream `p` and the version `i`; bodies are plain JSON (never compressed).
 */
export const ArchivedEvent = z.object({
  p: z.string().min(1),
  i: z.number().int().nonnegative(),
  t: z.string(),
  c: z.string(),
  d: z.unknown(),
  m: z.unknown().optional(),
  correlationId: z.string().optional(),
  causationId: z.string().optional(),
});
export type ArchivedEvent = z.infer<typeof ArchivedEvent>;

/** Versions `[from, to)` of one stream. */
export type VersionRange = readonly [from: number, to: number];

/** A segment ready to write: its bytes, their digests, and what it holds. */
export interface EncodedSegment {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly md5: string;
  readonly events: number;
  /** per stream, the versions it holds */
  readonly streams: Readonly<Record<string, VersionRange[]>>;
}

const digests = (bytes: Uint8Array) => ({
  sha256: createHash('sha256').update(bytes).digest('hex'),
  md5: createHash('md5').update(bytes).digest('base64'),
});

export function archivedEvent(stream: string, event: TimelineEvent): ArchivedEvent {
  return {
    p: stream,
    i: Number(event.index),
    t: event.timestamp.toISOString(),
    c: event.type,
    d: event.data,
    ...(event.meta === undefined ? {} : { m: event.meta }),
    ...(event.correlationId === undefined ? {} : { correlationId: event.correlationId }),
    ...(event.causationId === undefined ? {} : { causationId: event.causationId }),
  };
}

/** Encodes archived events as gzipped JSON lines (events of one stream in version order). */
export function encodeSegment(events: readonly ArchivedEvent[]): EncodedSegment {
  const streams: Record<string, VersionRange[]> = {};
  let text = '';
  for (const event of events) {
    text += `${JSON.stringify(event)}\n`;
    const ranges = streams[event.p] ?? [];
    streams[event.p] = ranges;
    const last = ranges.at(-1);
    if (last !== undefined && last[1] === event.i) ranges[ranges.length - 1] = [last[0], event.i + 1];
    else ranges.push([event.i, event.i + 1]);
  }
  // gzip: JSON lines repeat their field names and stream on every line; compressed they take about a tenth.
  const bytes = new Uint8Array(gzipSync(text));
  return { bytes, ...digests(bytes), events: events.length, streams };
}

/** Encodes spans (each a run of one stream's events) as a segment. */
export function encodeSpans(spans: readonly StreamSpan[]): EncodedSegment {
  return encodeSegment(spans.flatMap((span) => span.events.map((event) => archivedEvent(span.stream, event))));
}

/** The metadata written with a segment: what a reader checks it against. */
export function segmentMetadata(segment: EncodedSegment): Record<string, string> {
  return { format: archiveFormat, sha256: segment.sha256, events: String(segment.events) };
}

/** Checks a blob read back against the SHA-256 in its metadata; throws `TornArchiveBlob` when they differ. */
export function verifiedBytes(name: string, blob: ArchiveBlob): Uint8Array {
  const expected = blob.metadata.sha256;
  if (expected === undefined) throw new TornArchiveBlob(name, 'it has no sha256 metadata');
  const actual = digests(blob.bytes).sha256;
  if (actual !== expected) {
    throw new TornArchiveBlob(name, `its ${blob.bytes.byteLength} bytes hash to ${actual}, not ${expected}`);
  }
  return blob.bytes;
}

/**
 * The shape check of `ArchivedEvent`, by hand: a replay reads millions of lines whose bytes the checksum has already
 * vouched for, and a zod parse per line took half the replay's time.
 */
function isArchivedEvent(value: unknown): value is ArchivedEvent {
  if (typeof value !== 'object' || value === null) return false;
  const { p, i, t, c, correlationId, causationId } = value as Record<string, unknown>;
  return (
    typeof p === 'string' &&
    p.length > 0 &&
    Number.isInteger(i) &&
    (i as number) >= 0 &&
    typeof t === 'string' &&
    typeof c === 'string' &&
    (correlationId === undefined || typeof correlationId === 'string') &&
    (causationId === undefined || typeof causationId === 'string')
  );
}

/** The events of a segment blob, verified against its checksum and parsed line by line. */
export function decodeSegment(name: string, blob: ArchiveBlob): ArchivedEvent[] {
  const verified = verifiedBytes(name, blob);
  let text: string;
  try {
    text = gunzipSync(verified).toString('utf8');
  } catch {
    throw new TornArchiveBlob(name, 'it matches its checksum but is not gzip');
  }
  const events: ArchivedEvent[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (raw.length === 0) continue;
    const parsed: unknown = JSON.parse(raw);
    if (!isArchivedEvent(parsed)) throw new TornArchiveBlob(name, `line ${line} is not an archived event`);
    events.push(parsed);
  }
  const expected = Number(blob.metadata.events);
  if (Number.isInteger(expected) && expected !== events.length) {
    throw new TornArchiveBlob(name, `it holds ${events.length} events, its metadata says ${expected}`);
  }
  return events;
}

/** Whether a stored blob's properties match the segment that was sent (length, service MD5, our SHA-256). */
export function writeProblem(
  sent: { readonly bytes: Uint8Array; readonly md5: string; readonly sha256: string },
  stored:
    | { readonly length: number; readonly md5: string | undefined; readonly metadata: Record<string, string> }
    | undefined,
): string | undefined {
  if (stored === undefined) return 'it is not there';
  if (stored.length !== sent.bytes.byteLength)
    return `it holds ${stored.length} bytes, ${sent.bytes.byteLength} were sent`;
  if (stored.md5 !== undefined && stored.md5 !== sent.md5) return `its MD5 is ${stored.md5}, ${sent.md5} was sent`;
  if (stored.metadata.sha256 !== sent.sha256) return 'its sha256 metadata differs from what was sent';
  return undefined;
}

/** Digests of arbitrary bytes (manifests and pruned indexes are verified like segments). */
export function encodeJson(value: unknown): { bytes: Uint8Array; sha256: string; md5: string } {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return { bytes, ...digests(bytes) };
}
