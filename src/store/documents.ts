/**
 * The documents of the events container, compatible with Equinox.CosmosStore (Jet): one logical partition per
 * stream (partition key `p`), a tip (`id: "-1"`) that holds recent events and unfolds, and immutable batches
 * (`id: String(i)`) calved from the tip. Field meanings follow Equinox's `Event`, `Batch`, `Unfold` and `Tip` types.
 */

/** An event as stored: `D`/`M` name the encoding of `d`/`m` (0 or absent = JSON, 1 = deflate + base64). */
export interface EventDocument {
  /** creation timestamp, ISO 8601 */
  t: string;
  /** event type (Equinox: the union "case") */
  c: string;
  /** event body, JSON (or an encoded string when `D` is set) */
  d: unknown;
  D?: number;
  /** optional metadata, JSON (or an encoded string when `M` is set); not written when absent */
  m?: unknown;
  M?: number;
  correlationId?: string;
  causationId?: string;
  /** W3C Trace Context of the span that appended the event (Tributary's addition; Equinox readers ignore it) */
  traceparent?: string;
  tracestate?: string;
}

/** State derived from events (a snapshot or other fold), taken at version `i`; never replayed as an event. */
export interface UnfoldDocument {
  /** the stream version this unfold reflects (the `n` when it was written) */
  i: number;
  /** generation timestamp, ISO 8601 */
  t: string;
  c: string;
  d: unknown;
  D?: number;
  m?: unknown;
  M?: number;
}

export interface BatchDocument {
  id: string;
  /** partition key: the stream name */
  p: string;
  /** index (version) of the first event in `e` */
  i: number;
  /** next version of the stream after the events in `e` (the `i` of the successor batch) */
  n: number;
  e: EventDocument[];
  _etag?: string;
  _lsn?: number;
  _ts?: number;
}

export const tipId = '-1';

export interface TipDocument extends BatchDocument {
  id: typeof tipId;
  /** unfolds: snapshots and other state derived from the events; replaced on every write */
  u: UnfoldDocument[];
}

/** True for the tip of a stream (the only mutable document), false for a calved batch. */
export function isTip(document: BatchDocument): document is TipDocument {
  return document.id === tipId;
}
