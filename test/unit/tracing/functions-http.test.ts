import { HttpRequest, InvocationContext } from '@azure/functions';
import { SpanKind } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { azureHttpHandler } from '../../../src/azure-functions/http.ts';
import { activeTraceContext } from '../../../src/tracing/trace-context.ts';
import { type CollectedSpans, collectSpans } from '../../support/spans.ts';

const hostTrace = `00-${'c'.repeat(32)}-${'3'.repeat(16)}-01`;
let collected: CollectedSpans | undefined;
afterEach(async () => {
  await collected?.stop();
  collected = undefined;
});

describe('the Functions HTTP adapter', () => {
  it('serves each request in a server span under the host invocation, named by the route', async () => {
    collected = await collectSpans();
    let inside: string | undefined;
    const handler = azureHttpHandler(
      async () => {
        inside = activeTraceContext()?.traceparent;
        return { status: 503, body: { error: 'Unavailable' } };
      },
      { route: 'accounts/{id}/deposit' },
    );
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/accounts/42/deposit',
      params: { id: '42' },
      body: { string: '{}' },
      headers: { traceparent: `00-${'d'.repeat(32)}-${'4'.repeat(16)}-01` },
    });
    const context = new InvocationContext({ traceContext: { traceParent: hostTrace } });
    const answer = await handler(request, context);
    expect(answer.status).toBe(503);
    const [server] = collected.named('POST accounts/{id}/deposit');
    expect(server?.kind).toBe(SpanKind.SERVER);
    // the host's invocation wins over the caller's header: Application Insights shows the span under its request
    expect(server?.spanContext().traceId).toBe('c'.repeat(32));
    expect(server?.parentSpanContext?.spanId).toBe('3'.repeat(16));
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': 'accounts/{id}/deposit',
      'url.path': '/api/accounts/42/deposit',
      'http.response.status_code': 503,
    });
    expect(server?.status.code).toBe(2);
    expect(inside).toBe(server && `00-${'c'.repeat(32)}-${server.spanContext().spanId}-01`);
  });

  it('without a host trace context it continues the caller’s traceparent', async () => {
    collected = await collectSpans();
    const handler = azureHttpHandler(async () => ({ status: 200, body: {} }));
    await handler(
      new HttpRequest({
        method: 'GET',
        url: 'http://localhost/api/accounts/42',
        headers: { traceparent: `00-${'d'.repeat(32)}-${'4'.repeat(16)}-01` },
      }),
      new InvocationContext(),
    );
    const [server] = collected.named('GET');
    expect(server?.spanContext().traceId).toBe('d'.repeat(32));
  });
});
