import type { BatchDocument, EventDocument, TipDocument, UnfoldDocument } from './documents.ts';
import { tipId } from './documents.ts';

/** When the tip gives its events up to a batch document (Equinox: `tipMaxEvents`, `tipMaxJsonLength`). */
export interface TipLimits {
  /** calve when the tip would hold more events than this (0 = every append goes to a batch) */
  readonly maxEvents: number;
  /** calve when the tip's events would serialize to more JSON characters than this */
  readonly maxJsonLength: number;
}

export const defaultTipLimits: TipLimits = { maxEvents: 128, maxJsonLength: 30_000 };

/** The tip as an append found it: where its events start and what they are; `undefined` for a new stream. */
export interface TipPosition {
  readonly i: number;
  readonly n: number;
  readonly e: readonly EventDocument[];
}

/** The documents one append writes: the new tip and, when it calved, the batch that takes the tip's events. */
export interface AppendPlan {
  readonly tip: TipDocument;
  readonly calved?: BatchDocument;
}

/**
 * Decides what an append writes. The tip keeps accumulating events until holding the new ones would take it over a
 * limit; then all of them (old and new) move to an immutable batch `id: String(i)` and the tip restarts empty at
 * `n`. Batches therefore tile the stream without gaps or overlaps, in order, and the tip holds the rest.
 */
export function planAppend(
  stream: string,
  current: TipPosition | undefined,
  events: readonly EventDocument[],
  unfolds: readonly UnfoldDocument[],
  limits: TipLimits,
): AppendPlan {
  const i = current?.i ?? 0;
  const n = (current?.n ?? 0) + events.length;
  const held = [...(current?.e ?? []), ...events];
  const mustCalve =
    events.length > 0 && (held.length > limits.maxEvents || JSON.stringify(held).length > limits.maxJsonLength);
  if (!mustCalve) {
    return { tip: { id: tipId, p: stream, i, n, e: held, u: [...unfolds] } };
  }
  return {
    tip: { id: tipId, p: stream, i: n, n, e: [], u: [...unfolds] },
    calved: { id: String(i), p: stream, i, n, e: held },
  };
}
