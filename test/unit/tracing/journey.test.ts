import { describe, expect, it } from 'vitest';
import { journeyOf } from '../../../src/dev/journey.ts';
import type { RecentSpan } from '../../../src/tracing/recent-spans.ts';

const trace = 'a'.repeat(32);
let next = 0;
function span(name: string, at: number, took: number, more: Partial<RecentSpan> = {}): RecentSpan {
  next += 1;
  return {
    traceId: trace,
    spanId: next.toString(16).padStart(16, '0'),
    name,
    kind: 0,
    startMs: at,
    endMs: at + took,
    attributes: {},
    links: [],
    failed: false,
    ...more,
  };
}

describe('the journey of an event, from kept spans', () => {
  const request = span('POST accounts/{id}/deposit', 0, 30, { kind: 1 });
  const transact = span('transact Account', 5, 20, { parentSpanId: request.spanId });
  const append = span('append Account', 10, 10, {
    parentSpanId: transact.spanId,
    attributes: { 'tributary.stream': 'Account-1', 'tributary.stream.version': 4, 'tributary.events': 2 },
  });
  const link = [{ traceId: trace, spanId: append.spanId }];
  const projection = span('process projection-balance', 120, 5, {
    parentSpanId: append.spanId,
    links: link,
    attributes: {
      'tributary.processor': 'projection-balance',
      'tributary.stream': 'Account-1',
      'tributary.stream.version': 4,
      'tributary.events': 2,
    },
  });
  const reactor = span('process statement-lines', 130, 20, {
    parentSpanId: append.spanId,
    links: link,
    attributes: {
      'tributary.processor': 'statement-lines',
      'tributary.stream': 'Account-1',
      'tributary.stream.version': 4,
      'tributary.events': 2,
    },
  });
  const send = span('send statement-lines', 135, 10, { parentSpanId: reactor.spanId });
  const consumer = span('process ledger', 400, 2, {
    links: [{ traceId: trace, spanId: send.spanId }],
    attributes: { 'tributary.processor': 'ledger' },
  });
  const otherStream = span('process projection-balance', 500, 5, {
    links: link,
    attributes: { 'tributary.stream': 'Account-2', 'tributary.stream.version': 4, 'tributary.events': 1 },
  });
  const spans = [request, transact, append, projection, reactor, send, consumer, otherStream];

  it('follows the request, the append, each handler call, the publish and its consumer, with their waits', () => {
    const journey = journeyOf(spans, 'Account-1', 5);
    expect(journey).toMatchObject({ found: true, tracing: true, traceId: trace });
    expect(journey.hops.map((hop) => [hop.kind, hop.processor ?? hop.name, hop.waitMs, hop.sinceAppendMs])).toEqual([
      ['request', 'POST accounts/{id}/deposit', 0, 10],
      ['append', 'append Account', 0, 0],
      ['handled', 'projection-balance', 100, 105],
      ['handled', 'statement-lines', 110, 130],
      ['published', 'statement-lines', 5, 125],
      ['handled', 'ledger', 255, 382],
    ]);
    expect(journey.hops[0]?.upstream).toBe(true);
  });

  it('finds nothing for a version no kept append wrote, and says when tracing is off', () => {
    expect(journeyOf(spans, 'Account-1', 6)).toMatchObject({ found: false, tracing: true, hops: [] });
    expect(journeyOf(spans, 'Account-1', 3)).toMatchObject({ found: false });
    expect(journeyOf(undefined, 'Account-1', 5)).toMatchObject({ found: false, tracing: false });
  });
});
