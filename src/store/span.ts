import { decodeBody, decodeUnfoldBody } from '../codec/index.ts';
import type { StreamSpan, TimelineEvent } from '../core/index.ts';
import type { BatchDocument, EventDocument, UnfoldDocument } from './documents.ts';
import { MalformedDocument } from './errors.ts';

/**
 * Decodes a stored body. For a body of `document`, one that does not decode raises `MalformedDocument` naming the
 * document, its stream and `what()` the body was (built only then).
 */
function decodeStoredBody(
  value: unknown,
  encoding: unknown,
  document: BatchDocument | undefined,
  what: () => string,
  decode: (value: unknown, encoding: unknown) => unknown = decodeBody,
): unknown {
  if (document === undefined) return decode(value, encoding);
  try {
    return decode(value, encoding);
  } catch (cause) {
    throw new MalformedDocument(document.id, document.p, `${what()} does not decode (${String(cause)})`, { cause });
  }
}

/** Decodes one stored event (decompressing `d`/`m`) into a timeline event at `index`. */
export function timelineEvent(event: EventDocument, index: bigint, document?: BatchDocument): TimelineEvent {
  return decodeEvent(event, index, document, new Date(event.t));
}

function decodeEvent(
  event: EventDocument,
  index: bigint,
  document: BatchDocument | undefined,
  timestamp: Date,
): TimelineEvent {
  const { d, D, m, M } = event;
  // An unflagged body (the usual case) is stored as JSON and needs no decoding.
  const data =
    D === undefined || D === null
      ? d
      : decodeStoredBody(d, D, document, () => `the data of the event at version ${index}`);
  const meta =
    m === undefined
      ? undefined
      : M === undefined || M === null
        ? m
        : decodeStoredBody(m, M, document, () => `the metadata of the event at version ${index}`);
  return {
    index,
    type: event.c,
    data,
    meta,
    timestamp,
    correlationId: event.correlationId ?? undefined,
    causationId: event.causationId ?? undefined,
    traceparent: event.traceparent ?? undefined,
    tracestate: event.tracestate ?? undefined,
  };
}

/**
 * Decodes an unfold of `tip` (when given, a body that does not decode raises `MalformedDocument`). A string body
 * without a flag is inflated when it is deflated base64, as Equinox wrote unfolds before the `D`/`M` flags.
 */
export function timelineUnfold(unfold: UnfoldDocument, tip?: BatchDocument): TimelineEvent {
  const what = (part: string) => () => `the ${part} of unfold "${unfold.c}" (version ${unfold.i})`;
  return {
    index: BigInt(unfold.i),
    type: unfold.c,
    data: decodeStoredBody(unfold.d, unfold.D, tip, what('data'), decodeUnfoldBody),
    meta:
      unfold.m === undefined
        ? undefined
        : decodeStoredBody(unfold.m, unfold.M, tip, what('metadata'), decodeUnfoldBody),
    timestamp: new Date(unfold.t),
  };
}

/** `BigInt(n)` allocates; bigints are immutable, so the versions most streams have are made once and shared. */
const sharedVersions: bigint[] = [];
const sharedVersionLimit = 1 << 16;

function versionOf(n: number): bigint {
  if (n >= sharedVersionLimit) return BigInt(n);
  // filled in order, so that the array stays dense
  while (sharedVersions.length <= n) sharedVersions.push(BigInt(sharedVersions.length));
  return sharedVersions[n]!;
}

/**
 * The events of a tip or batch, with their versions (`i`, `i + 1`, …). An encoded body that does not decode raises
 * `MalformedDocument` naming the document, the stream and the version.
 */
export function eventsOf(document: BatchDocument): TimelineEvent[] {
  return decodeEvents(document, false);
}

/** `eventsOf`, checking each event's shape (`checkEvent`) in the same pass when `checked`. */
function decodeEvents(document: BatchDocument, checked: boolean): TimelineEvent[] {
  const first = document.i;
  const stored = document.e;
  const events = new Array<TimelineEvent>(stored.length);
  // The events of one append share their timestamp string, and then one Date (allocating a Date per event costs as
  // much as the rest of decoding). `TimelineEvent.timestamp` is read-only by contract.
  let lastText: string | undefined;
  let lastDate = new Date(Number.NaN);
  for (let offset = 0; offset < stored.length; offset++) {
    const event = stored[offset]!;
    const problem = checked ? eventShapeProblem(event) : undefined;
    if (problem !== undefined) throw new MalformedDocument(String(document.id), document.p, problem);
    if (event.t !== lastText) {
      lastText = event.t;
      lastDate = new Date(event.t);
      // the Date made for the events anyway tells whether the timestamp parses: no second parse to check it
      if (checked && Number.isNaN(lastDate.getTime())) {
        throw new MalformedDocument(String(document.id), document.p, `event "${event.c}" has no ISO timestamp "t"`);
      }
    }
    events[offset] = decodeEvent(event, versionOf(first + offset), document, lastDate);
  }
  return events;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** What is wrong with a stored event's fields, if anything: every event has a string type `c` and timestamp `t`. */
function eventShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'an event is not an object';
  const event = value as Record<string, unknown>;
  if (typeof event.c !== 'string') return 'an event has no string type "c"';
  if (typeof event.t !== 'string') return `event "${event.c}" has no ISO timestamp "t"`;
  return undefined;
}

/** Checks one event; `validTime` is a timestamp already known to parse (events of a batch usually share theirs). */
function checkEvent(value: unknown, validTime: string | undefined): string | undefined {
  const problem = eventShapeProblem(value);
  if (problem !== undefined) return problem;
  const event = value as { c: string; t: string };
  if (event.t !== validTime && Number.isNaN(Date.parse(event.t))) return `event "${event.c}" has no ISO timestamp "t"`;
  return undefined;
}

/**
 * Checks that a document has the tip/batch shape; returns it typed, or throws `MalformedDocument`. Unfolds are
 * checked only on tips.
 */
export function asBatchDocument(document: Record<string, unknown>): BatchDocument {
  const batch = asBatchShape(document);
  let validTime: string | undefined;
  for (const event of batch.e as unknown[]) {
    const problem = checkEvent(event, validTime);
    if (problem !== undefined) throw new MalformedDocument(batch.id, batch.p, problem);
    validTime = (event as { t: string }).t;
  }
  return batch;
}

/** `asBatchDocument` without the events: the document's own fields, and as many events as `n - i` says. */
function asBatchShape(document: Record<string, unknown>): BatchDocument {
  const problem = batchShapeProblem(document);
  if (problem === undefined) return document as unknown as BatchDocument;
  const id = typeof document.id === 'string' ? document.id : String(document.id);
  throw new MalformedDocument(id, typeof document.p === 'string' ? document.p : undefined, problem);
}

/** What is wrong with a tip or batch document's own fields, if anything (runs for every document read). */
function batchShapeProblem(document: Record<string, unknown>): string | undefined {
  if (typeof document.p !== 'string') return '"p" (the stream name) is not a string';
  const { i, n, e } = document;
  if (!isCount(i)) return '"i" (the first event\'s version) is not a non-negative integer';
  if (!isCount(n)) return '"n" (the next version) is not a non-negative integer';
  if (!Array.isArray(e)) return '"e" (the events) is not an array';
  if (n - i !== e.length) return `"n" - "i" = ${n - i} but "e" holds ${e.length} events`;
  if (document.id === '-1' && document.u !== undefined && !Array.isArray(document.u)) {
    return '"u" (the unfolds) is not an array';
  }
  return undefined;
}

/**
 * Turns a document from the events container's change feed into the span of events it holds: a batch holds
 * versions `i`..`n-1` for good, a tip holds its current events (a span with no events after it calved). Encoded
 * bodies are decompressed. Returns `undefined` for documents that are not tips or batches (no `p`, `i` nor `e`);
 * throws `MalformedDocument` for a document that has some of them but is broken.
 */
export function spanFromDocument(document: Record<string, unknown>): StreamSpan | undefined {
  if (!('p' in document) && !('i' in document) && !('e' in document)) return undefined;
  // the events are checked while they are decoded: one pass over them instead of two
  const batch = asBatchShape(document);
  return new DocumentSpan(batch.p, versionOf(batch.i), decodeEvents(batch, true));
}

/**
 * A span read from a document. A class rather than an object literal: V8 tracks where literals are made, and once
 * the spans of one literal outlived a young-generation collection (queued behind the scheduler's concurrency limit),
 * it made every later one directly in the old generation; a processor that had once queued then spent about four
 * times as long collecting garbage (bench: `scheduler.documents.ratio` 0.38–0.46 after such a run, 0.91–0.96 with
 * the class).
 */
class DocumentSpan implements StreamSpan {
  constructor(
    readonly stream: string,
    readonly index: bigint,
    readonly events: TimelineEvent[],
  ) {}
}
