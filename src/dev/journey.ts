import type { RecentSpan } from '../tracing/recent-spans.ts';
import { SpanAttributes } from '../tracing/spans.ts';

/** One hop of an event's journey, from the spans the dev host kept. Times in ms since the epoch. */
export interface JourneyHop {
  /** `request`: the HTTP call; `append`: the write; `handled`: a processor's (or consumer's) handler call;
   * `published`: a summary sent, ending at the broker's acknowledgement */
  readonly kind: 'request' | 'append' | 'handled' | 'published';
  /** the span's name, e.g. `process projection-account-balance@1` or `send bank-statement-lines` */
  readonly name: string;
  /** the processor or consumer, for `handled` and `published` */
  readonly processor?: string | undefined;
  readonly startMs: number;
  readonly endMs: number;
  /** from the append's end (the event stored) to this hop's end */
  readonly sinceAppendMs: number;
  /** from the previous hop of the chain (append → handled → published) ending to this one starting */
  readonly waitMs: number;
  readonly failed: boolean;
  /** a step that led to the append (the command's own append, the reactor call that appended this event) */
  readonly upstream: boolean;
  readonly traceId: string;
  readonly spanId: string;
}

/** The journey of the event at `index` of `stream`: hops in time order; `found: false` when no kept span wrote it. */
export interface Journey {
  readonly stream: string;
  readonly index: number;
  /** false when tracing is off in this dev host */
  readonly tracing: boolean;
  readonly found: boolean;
  readonly traceId?: string | undefined;
  readonly hops: readonly JourneyHop[];
}

const numberAt = (span: RecentSpan, name: string): number | undefined => {
  const value = span.attributes[name];
  return typeof value === 'number' ? value : undefined;
};

const covers = (span: RecentSpan, stream: string, index: number): boolean => {
  if (span.attributes[SpanAttributes.stream] !== stream) return false;
  const first = numberAt(span, SpanAttributes.streamVersion);
  const count = numberAt(span, SpanAttributes.eventCount) ?? 1;
  return first !== undefined && first <= index && index < first + Math.max(1, count);
};

/**
 * Follows one event through the spans kept in memory: the append that wrote it (the `append` span whose stream
 * and versions cover it), the HTTP request above that append, each handler call linked to the append on that
 * stream, the summaries those calls published, and the consumers' calls linked to those.
 */
export function journeyOf(spans: readonly RecentSpan[] | undefined, stream: string, index: number): Journey {
  if (spans === undefined) return { stream, index, tracing: false, found: false, hops: [] };
  const append = spans.findLast((span) => span.name.startsWith('append ') && covers(span, stream, index));
  if (append === undefined) return { stream, index, tracing: true, found: false, hops: [] };
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const hop = (kind: JourneyHop['kind'], span: RecentSpan, previousEndMs: number): JourneyHop => ({
    kind,
    name: span.name,
    processor:
      typeof span.attributes[SpanAttributes.processor] === 'string'
        ? String(span.attributes[SpanAttributes.processor])
        : undefined,
    startMs: span.startMs,
    endMs: span.endMs,
    sinceAppendMs: span.endMs - append.endMs,
    waitMs: Math.max(0, span.startMs - previousEndMs),
    failed: span.failed,
    upstream: false,
    traceId: span.traceId,
    spanId: span.spanId,
  });
  const hops: JourneyHop[] = [];
  // what led to the append, up to the HTTP request: the appends and handler calls of the same trace above it
  const upstream = (kind: JourneyHop['kind'], span: RecentSpan) =>
    hops.push({ ...hop(kind, span, span.startMs), upstream: true });
  let ancestor = append.parentSpanId === undefined ? undefined : byId.get(append.parentSpanId);
  while (ancestor !== undefined && ancestor.kind !== 1) {
    if (ancestor.name.startsWith('append ')) upstream('append', ancestor);
    if (ancestor.name.startsWith('process ')) upstream('handled', ancestor);
    ancestor = ancestor.parentSpanId === undefined ? undefined : byId.get(ancestor.parentSpanId);
  }
  if (ancestor !== undefined) upstream('request', ancestor);
  hops.push(hop('append', append, append.startMs));
  const linkedTo = (span: RecentSpan, target: RecentSpan) => span.links.some((link) => link.spanId === target.spanId);
  const handlers = spans.filter(
    (span) => span.name.startsWith('process ') && covers(span, stream, index) && linkedTo(span, append),
  );
  for (const handler of handlers) {
    hops.push(hop('handled', handler, append.endMs));
    for (const sent of spans.filter((span) => span.name.startsWith('send ') && span.parentSpanId === handler.spanId)) {
      hops.push({ ...hop('published', sent, handler.startMs), processor: hop('handled', handler, 0).processor });
      for (const consumer of spans.filter((span) => span.name.startsWith('process ') && linkedTo(span, sent))) {
        hops.push(hop('handled', consumer, sent.endMs));
      }
    }
  }
  hops.sort((a, b) => a.startMs - b.startMs);
  return { stream, index, tracing: true, found: true, traceId: append.traceId, hops };
}
