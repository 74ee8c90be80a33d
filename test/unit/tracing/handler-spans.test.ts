import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamSpan } from '../../../src/core/index.ts';
import { createInMemoryDeadLetters } from '../../../src/streams/dead-letter-store.ts';
import type { StreamHandler } from '../../../src/streams/handler.ts';
import { createScheduler } from '../../../src/streams/scheduler.ts';
import { type CollectedSpans, collectSpans, spanIdOf, traceIdOf } from '../../support/spans.ts';
import { readDocument, span } from '../streams/support.ts';

const writerA = { traceparent: `00-${'a'.repeat(32)}-${'1'.repeat(16)}-01` };
const writerB = { traceparent: `00-${'b'.repeat(32)}-${'2'.repeat(16)}-01` };

/** `count` events of `stream` from `from`, written by `writers[k]` for event k (cycling). */
function written(stream: string, from: number, count: number, writers: readonly { traceparent: string }[]): StreamSpan {
  const plain = span(stream, from, count);
  return { ...plain, events: plain.events.map((event, k) => ({ ...event, ...writers[k % writers.length] })) };
}

let collected: CollectedSpans | undefined;
afterEach(async () => {
  await collected?.stop();
  collected = undefined;
});

async function run(handle: StreamHandler, spans: StreamSpan[], parking = false) {
  const deadLetters = createInMemoryDeadLetters();
  const scheduler = createScheduler(
    {
      name: 'audit',
      handle,
      retry: { initialDelayMs: 1, maxDelayMs: 2 },
      ...(parking ? { parking: { deadLetters, afterAttempts: 2 } } : {}),
    },
    readDocument,
  );
  scheduler.open('0', { fromBeginning: false, handled: {} });
  const { handled } = await scheduler.ingestSpans('0', spans);
  await handled;
  return scheduler;
}

describe('handler spans', () => {
  it('one append wrote the events: the process span is its child, linked to it, with the outcome', async () => {
    collected = await collectSpans();
    await run(async () => ({ kind: 'handled' }), [written('Account-1', 0, 3, [writerA])]);
    const [process] = collected.named('process audit');
    expect(process?.kind).toBe(SpanKind.CONSUMER);
    expect(process && traceIdOf(process)).toBe('a'.repeat(32));
    expect(process?.parentSpanContext?.spanId).toBe('1'.repeat(16));
    expect(process?.links.map((link) => link.context.spanId)).toEqual(['1'.repeat(16)]);
    expect(process?.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'tributary.processor': 'audit',
      'tributary.stream': 'Account-1',
      'tributary.stream.version': 0,
      'tributary.events': 3,
      'tributary.outcome': 'handled',
    });
  });

  it('events of several appends: a new trace, one link per append', async () => {
    collected = await collectSpans();
    await run(async () => undefined, [written('Account-1', 0, 4, [writerA, writerB])]);
    const [process] = collected.named('process audit');
    expect(process?.parentSpanContext).toBeUndefined();
    expect(process?.links.map((link) => link.context.traceId).sort()).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
  });

  it('spans the handler opens are children of the process span; a throw marks it failed', async () => {
    collected = await collectSpans();
    const { inSpan } = await import('../../../src/tracing/spans.ts');
    let calls = 0;
    await run(async () => {
      calls += 1;
      await inSpan('view write', {}, async () => undefined);
      if (calls === 1) throw new RangeError('first call fails');
      return undefined;
    }, [written('Account-1', 0, 1, [writerA])]);
    const processes = collected.named('process audit');
    expect(processes.map((p) => p.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    const writes = collected.named('view write');
    expect(writes.map((w) => w.parentSpanContext?.spanId)).toEqual(processes.map(spanIdOf));
  });

  it('parking and replay have spans; the replayed call still links to the writer', async () => {
    collected = await collectSpans();
    let broken = true;
    const scheduler = await run(
      async () => {
        if (broken) throw new RangeError('broken');
        return undefined;
      },
      [written('Account-1', 0, 2, [writerA])],
      true,
    );
    const [park] = collected.named('park audit');
    expect(park?.attributes).toMatchObject({ 'tributary.stream': 'Account-1', 'tributary.outcome': 'failed' });
    expect(park?.links.map((link) => link.context.spanId)).toEqual(['1'.repeat(16)]);
    broken = false;
    collected.exporter.reset();
    await scheduler.parked.replay('Account-1');
    const [replay] = collected.named('replay audit');
    const [process] = collected.named('process audit');
    expect(replay?.attributes['tributary.stream']).toBe('Account-1');
    expect(process?.links.map((link) => link.context.spanId)).toEqual(['1'.repeat(16)]);
  });

  it('with no SDK registered the handler runs as before', async () => {
    const seen: number[] = [];
    await run(
      async (given) => {
        seen.push(given.events.length);
        return undefined;
      },
      [written('Account-1', 0, 2, [writerA])],
    );
    expect(seen).toEqual([2]);
  });
});
