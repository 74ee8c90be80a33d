/**
 * The documents of the events container, compatible with Equinox.CosmosStore (Jet): one logical partition per
 * stream (partition key `p`), a tip (`id: "-1"`) that holds recent events and unfolds, and immutable batches
 * (`id: String(i)`) calved from the tip.
 */

/** An event as stored: `D`/`M` name the encoding of `d`/`m` (0 or absent = JSON, 1 = deflate + base64). */
export interface EventDocument {
  /** timestamp, ISO 8601 */
  t: string;
  /** event type */
  c: string;
  d: unknown;
  D?: number;
  m?: unknown;
  M?: number;
  correlationId?: string;
  causationId?: string;
}

/** State derived from events (a snapshot or other fold), taken at version `i`; never replayed as an event. */
export interface UnfoldDocument {
  /** the stream version this unfold reflects (the `n` when it was written) */
  i: number;
  t: string;
  c: string;
  d: unknown;
  D?: number;
  m?: unknown;
  M?: number;
}

export interface BatchDocument {
  id: string;
  p: string;
  /** index (version) of the first event in `e` */
  i: number;
  /** next version of the stream after the events in `e` */
  n: number;
  e: EventDocument[];
  _etag?: string;
  _lsn?: number;
  _ts?: number;
}

export const tipId = '-1';

export interface TipDocument extends BatchDocument {
  id: typeof tipId;
  u: UnfoldDocument[];
}
