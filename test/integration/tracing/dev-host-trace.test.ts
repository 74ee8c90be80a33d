import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipKafka, startTestKafka, type TestKafka } from '../../support/kafka.ts';
import { spanIdOf, traceIdOf } from '../../support/spans.ts';
import { Processors, startTestDevHost } from '../dev/dev-host-harness.ts';

const exporter = new InMemorySpanExporter();
let kafka: TestKafka | undefined;
let dev: Awaited<ReturnType<typeof startTestDevHost>>;

beforeAll(async () => {
  if (!skipKafka) kafka = await startTestKafka();
  dev = await startTestDevHost({
    local: true,
    ...(kafka ? { kafkaBrokers: kafka.brokers.join(',') } : {}),
    tracing: { spanProcessors: [new SimpleSpanProcessor({ exporter })] },
  });
});

afterAll(async () => {
  await dev?.close();
  await kafka?.stop();
});

const spans = () => exporter.getFinishedSpans();
const inTrace = (traceId: string) => spans().filter((span) => traceIdOf(span) === traceId);
const linksTo = (span: ReadableSpan, target: ReadableSpan) =>
  span.links.some((link) => link.context.spanId === spanIdOf(target));

async function eventually<T>(find: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('one command through the dev host', () => {
  it('yields one trace: HTTP request, append, each processor (linked to the append), summary publish', async () => {
    await dev.api('POST', '/api/accounts/ann/open', { owner: 'Ann' });
    await dev.api('POST', '/api/accounts/bob/open', { owner: 'Bob' });
    await dev.api('POST', '/api/accounts/ann/deposit', { amount: 500, transactionId: 'd1' });
    const answer = await dev.api('POST', '/api/transfers', {
      transferId: 't1',
      fromAccountId: 'ann',
      toAccountId: 'bob',
      amount: 120,
    });
    expect(answer.status).toBe(202);

    const request = await eventually(
      () => spans().find((span) => span.name === 'POST transfers'),
      'server span of the transfer request',
    );
    const trace = traceIdOf(request);
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': 'transfers',
      'http.response.status_code': 202,
    });
    const append = inTrace(trace).find((span) => span.name.startsWith('append Transfer'));
    expect(append, 'the transfer appended in the request trace').toBeDefined();
    if (append === undefined) return;

    // the transfer reactor handles the Transfer stream: its span continues the trace and links to the append
    const reactor = await eventually(
      () => inTrace(trace).find((span) => span.name === `process ${Processors.transfers}` && linksTo(span, append)),
      'the transfer reactor in the trace',
    );
    expect(reactor.parentSpanContext?.spanId).toBe(spanIdOf(append));

    // the reactor's own appends (withdraw from Ann, deposit to Bob) are handled by the projections and the
    // statement-lines reactor, still in the same trace, each linked to the append it handles
    const handled = await eventually(() => {
      const names = new Set(inTrace(trace).map((span) => span.name));
      const all = [Processors.balance, Processors.statement, Processors.statementLines].every((processor) =>
        names.has(`process ${processor}`),
      );
      return all ? names : undefined;
    }, 'every processor in the trace');
    expect(handled.has(`process ${Processors.balance}`)).toBe(true);
    for (const span of inTrace(trace).filter((s) => s.name.startsWith('process '))) {
      const appends = inTrace(trace).filter((s) => s.name.startsWith('append ') && linksTo(span, s));
      expect(appends.length, `${span.name} links to the append it handles`).toBeGreaterThan(0);
    }

    const publish = await eventually(
      () => inTrace(trace).find((span) => span.name.startsWith('send ')),
      'the summary publish in the trace',
    );
    expect(publish.attributes['messaging.destination.name']).toBeDefined();
    expect(
      inTrace(trace).some(
        (span) =>
          span.name === `process ${Processors.statementLines}` && spanIdOf(span) === publish.parentSpanContext?.spanId,
      ),
    ).toBe(true);
    // downstream, the statement ledger consumer's call links to the publish (and continues its trace)
    if (kafka) {
      const consumed = await eventually(
        () => spans().find((span) => span.name.startsWith('process ') && linksTo(span, publish)),
        'the consumer span linked to the publish',
      );
      expect(traceIdOf(consumed)).toBe(trace);
      expect(consumed.parentSpanContext?.spanId).toBe(spanIdOf(publish));
    }
    // the projections' view writes are client spans under their handler calls
    const balanceCalls = inTrace(trace).filter((span) => span.name === `process ${Processors.balance}`);
    const viewWrites = inTrace(trace).filter((span) => /^(create|replace) /.test(span.name));
    expect(
      viewWrites.some((write) => balanceCalls.some((call) => spanIdOf(call) === write.parentSpanContext?.spanId)),
    ).toBe(true);
    expect(viewWrites[0]?.attributes['db.system.name']).toBe('azure.cosmosdb');
    // the change-feed pages that carried the events: root spans of their own, one per page with documents
    const pages = spans().filter((span) => span.name.startsWith('receive '));
    expect(pages.length).toBeGreaterThan(0);
    expect(
      pages.every(
        (page) => page.parentSpanContext === undefined && Number(page.attributes['messaging.batch.message_count']) > 0,
      ),
    ).toBe(true);
    // every span of the trace has its parent in the trace (nothing dangles), the request being the root
    const ids = new Set(inTrace(trace).map(spanIdOf));
    for (const span of inTrace(trace)) {
      if (span === request) continue;
      if (span.parentSpanContext === undefined) continue;
      expect(ids.has(span.parentSpanContext.spanId), `${span.name} has its parent in the trace`).toBe(true);
    }
  });
});
