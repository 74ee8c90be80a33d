import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { tracingOptionsFromEnv } from '../../../src/tracing/env.ts';
import { inSpan, linksToWriters } from '../../../src/tracing/spans.ts';
import {
  activeTraceContext,
  parseTraceparent,
  traceContextFields,
  w3cTraceContextPropagator,
} from '../../../src/tracing/trace-context.ts';
import { type CollectedSpans, collectSpans, spanIdOf } from '../../support/spans.ts';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';

describe('W3C trace context', () => {
  it('formats and reads back a traceparent, flags and tracestate included', () => {
    const fields = traceContextFields({ traceId, spanId, traceFlags: TraceFlags.SAMPLED });
    expect(fields).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
    const read = parseTraceparent(fields?.traceparent, 'vendor=a,other=b');
    expect(read).toMatchObject({ traceId, spanId, traceFlags: 1, isRemote: true });
    expect(read?.traceState?.serialize()).toBe('vendor=a,other=b');
    expect(traceContextFields({ traceId, spanId, traceFlags: 0 })?.traceparent).toBe(`00-${traceId}-${spanId}-00`);
  });

  it.each([
    ['absent', undefined],
    ['not a string', 42],
    ['an unknown version', `01-${traceId}-${spanId}-01`],
    ['upper-case hex', `00-${traceId.toUpperCase()}-${spanId}-01`],
    ['a short trace id', `00-${traceId.slice(1)}-${spanId}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${spanId}-01`],
    ['an all-zero span id', `00-${traceId}-${'0'.repeat(16)}-01`],
  ])('ignores a traceparent that is %s', (_, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('the propagator injects the span of a context and extracts it back', () => {
    const carrier: Record<string, string> = {};
    const context = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 1 });
    w3cTraceContextPropagator.inject(context, carrier, { set: (c, k, v) => Object.assign(c as object, { [k]: v }) });
    expect(carrier).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
    const extracted = w3cTraceContextPropagator.extract(ROOT_CONTEXT, carrier, {
      get: (c, k) => (c as Record<string, string>)[k],
      keys: (c) => Object.keys(c as object),
    });
    expect(trace.getSpanContext(extracted)).toMatchObject({ traceId, spanId, isRemote: true });
  });

  it('links once per writing span, skipping events without (or with a broken) trace context', () => {
    const other = `00-${traceId}-${'1'.repeat(16)}-01`;
    const links = linksToWriters([
      { traceparent: `00-${traceId}-${spanId}-01` },
      { traceparent: `00-${traceId}-${spanId}-01` },
      {},
      { traceparent: 'garbage' },
      { traceparent: other },
    ]);
    expect(links.map((link) => link.context.spanId)).toEqual([spanId, '1'.repeat(16)]);
  });
});

describe('with no OpenTelemetry SDK registered', () => {
  it('spans are no-ops: work runs, its result and errors pass through, no trace context is made', async () => {
    expect(await inSpan('x', {}, async (span) => (span.isRecording() ? 'recorded' : 'plain'))).toBe('plain');
    await expect(
      inSpan('x', {}, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await inSpan('x', {}, async () => activeTraceContext())).toBeUndefined();
  });
});

describe('with the SDK registered', () => {
  let collected: CollectedSpans | undefined;
  afterEach(async () => {
    await collected?.stop();
    collected = undefined;
  });

  it('inSpan makes its span the active one, ends it, and marks it failed when the work throws', async () => {
    collected = await collectSpans();
    const inner = await inSpan('outer', { kind: SpanKind.SERVER }, () =>
      inSpan('inner', { attributes: { 'tributary.stream': 'Account-1' } }, async () => activeTraceContext()),
    );
    await expect(
      inSpan('failing', {}, async () => {
        throw Object.assign(new Error('conflict'), { code: 'WrongExpectedVersion' });
      }),
    ).rejects.toThrow('conflict');
    const [outer] = collected.named('outer');
    const [innerSpan] = collected.named('inner');
    const [failing] = collected.named('failing');
    expect(innerSpan?.parentSpanContext?.spanId).toBe(outer && spanIdOf(outer));
    expect(inner?.traceparent).toBe(innerSpan && `00-${innerSpan.spanContext().traceId}-${spanIdOf(innerSpan)}-01`);
    expect(innerSpan?.attributes['tributary.stream']).toBe('Account-1');
    expect(failing?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failing?.attributes['error.type']).toBe('WrongExpectedVersion');
  });

  it('the recent-spans ring keeps the newest spans, oldest first', async () => {
    collected = await collectSpans({ recentSpans: 2 });
    for (const name of ['a', 'b', 'c']) await inSpan(name, {}, async () => undefined);
    expect(collected.tracing.recent?.spans().map((span) => span.name)).toEqual(['b', 'c']);
  });
});

describe('tracingOptionsFromEnv', () => {
  it('asks for nothing unless configured, and nothing when the SDK is disabled', () => {
    expect(tracingOptionsFromEnv({})).toBeUndefined();
    expect(
      tracingOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toBeUndefined();
  });

  it('reads Azure Monitor (with Entra ID), OTLP and the console', () => {
    const credential = { getToken: async () => null };
    const options = tracingOptionsFromEnv(
      {
        APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=abc',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318/',
        TRIBUTARY_TRACING: 'console',
        OTEL_SERVICE_NAME: 'bank',
      },
      (entraId) => {
        expect(entraId).toEqual({ clientId: 'abc' });
        return credential;
      },
    );
    expect(options).toEqual({
      serviceName: 'bank',
      azureMonitor: { connectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000000', credential },
      otlp: { url: 'http://localhost:4318/v1/traces' },
      console: true,
    });
  });
});
