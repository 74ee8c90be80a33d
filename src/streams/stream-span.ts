import type { StreamSpan as Span } from '../core/index.ts';

export type StreamSpan = Span;

/**
 * Pure helpers for spans of one stream. A list of pending spans is kept sorted by index, without overlaps and
 * without adjacent neighbours (adjacent spans are joined), so its first span is what a handler gets next.
 * Events with the same index are the same event (a stream's events are immutable), so overlaps keep either copy.
 */
export const StreamSpan = {
  /** The version after the span's last event. */
  end(span: Span): bigint {
    return span.index + BigInt(span.events.length);
  },

  /** The part of the span at or after `index`; `undefined` when nothing is left. */
  dropBeforeIndex(span: Span, index: bigint): Span | undefined {
    if (index <= span.index) return span;
    const end = StreamSpan.end(span);
    if (index >= end) return undefined;
    return { stream: span.stream, index, events: span.events.slice(Number(index - span.index)) };
  },

  /** Every span of a sorted list cut to start at or after `index`, empty ones removed. */
  dropListBeforeIndex(spans: readonly Span[], index: bigint): Span[] {
    const kept: Span[] = [];
    for (const span of spans) {
      const rest = StreamSpan.dropBeforeIndex(span, index);
      if (rest !== undefined) kept.push(rest);
    }
    return kept;
  },

  /**
   * Sorts, de-duplicates and coalesces spans of one stream: the result is sorted by index, has no empty spans, and
   * two neighbours always leave a gap between them (`end(a) < b.index`).
   */
  merge(spans: readonly Span[]): Span[] {
    const sorted = spans.filter((span) => span.events.length > 0).sort((a, b) => compare(a.index, b.index));
    const merged: Span[] = [];
    for (const span of sorted) {
      const last = merged[merged.length - 1];
      if (last === undefined) {
        merged.push(span);
        continue;
      }
      const lastEnd = StreamSpan.end(last);
      if (span.index > lastEnd) {
        merged.push(span);
        continue;
      }
      const spanEnd = StreamSpan.end(span);
      if (spanEnd <= lastEnd) continue;
      const extra = span.events.slice(Number(lastEnd - span.index));
      merged[merged.length - 1] = { stream: last.stream, index: last.index, events: last.events.concat(extra) };
    }
    return merged;
  },

  /**
   * Adds one span to a merged list (the hot path of ingestion: usually the list is empty or the span extends its
   * last element) and returns the new list; `merge` handles the general case.
   */
  insert(spans: readonly Span[], span: Span): Span[] {
    if (span.events.length === 0) return spans.slice();
    const last = spans[spans.length - 1];
    if (last === undefined) return [span];
    const lastEnd = StreamSpan.end(last);
    if (span.index > lastEnd) return [...spans, span];
    if (span.index >= last.index) {
      const spanEnd = StreamSpan.end(span);
      const merged = spans.slice(0, -1);
      if (spanEnd <= lastEnd) merged.push(last);
      else
        merged.push({
          stream: last.stream,
          index: last.index,
          events: last.events.concat(span.events.slice(Number(lastEnd - span.index))),
        });
      return merged;
    }
    return StreamSpan.merge([...spans, span]);
  },

  /** How many events a list of spans holds. */
  count(spans: readonly Span[]): number {
    let total = 0;
    for (const span of spans) total += span.events.length;
    return total;
  },
};

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
