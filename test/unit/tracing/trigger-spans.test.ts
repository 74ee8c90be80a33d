import { InvocationContext } from '@azure/functions';
import { SpanKind } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createChangeFeedTriggerHandler } from '../../../src/azure-functions/index.ts';
import { type CollectedSpans, collectSpans, spanIdOf, traceIdOf } from '../../support/spans.ts';

const writer = `00-${'e'.repeat(32)}-${'5'.repeat(16)}-01`;
const host = `00-${'f'.repeat(32)}-${'6'.repeat(16)}-01`;
const tip = (stream: string, count: number) => ({
  id: '-1',
  p: stream,
  i: 0,
  n: count,
  e: Array.from({ length: count }, () => ({
    t: '2026-11-23T10:00:00.000Z',
    c: 'Deposited',
    d: {},
    traceparent: writer,
  })),
  u: [],
});

let collected: CollectedSpans | undefined;
afterEach(async () => {
  await collected?.stop();
  collected = undefined;
});

describe('the Cosmos DB trigger adapter', () => {
  it('runs a batch in a span under the host invocation, and each handler call linked to the events’ writer', async () => {
    collected = await collectSpans();
    const trigger = createChangeFeedTriggerHandler({
      name: 'balance',
      handle: async () => undefined,
      startFromBeginning: true,
    });
    const context = new InvocationContext({
      functionName: 'balance',
      logHandler: () => {},
      traceContext: { traceParent: host },
    });
    await trigger([tip('Account-1', 2), tip('Account-2', 1)], context);
    const [batch] = collected.named('receive balance');
    expect(batch?.kind).toBe(SpanKind.CONSUMER);
    expect(batch && traceIdOf(batch)).toBe('f'.repeat(32));
    expect(batch?.parentSpanContext?.spanId).toBe('6'.repeat(16));
    expect(batch?.attributes['messaging.batch.message_count']).toBe(2);
    const calls = collected.named('process balance');
    expect(calls.map((call) => call.attributes['tributary.stream']).sort()).toEqual(['Account-1', 'Account-2']);
    for (const call of calls) {
      expect(call.links.map((link) => link.context.spanId)).toEqual(['5'.repeat(16)]);
      expect(traceIdOf(call)).toBe('e'.repeat(32));
      expect(call.parentSpanContext?.spanId).toBe('5'.repeat(16));
    }
    expect(batch && spanIdOf(batch)).toBeDefined();
  });
});
