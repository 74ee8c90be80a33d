import { SpanKind } from '@opentelemetry/api';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CosmosStore, createCosmosStore, LoadOption } from '../../../src/store/index.ts';
import { type CollectedSpans, collectSpans, spanIdOf, traceIdOf } from '../../support/spans.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { codec, freshEvents, ledger, type State } from '../store/ledger.ts';

const cosmos = useTestCosmos();
let store: CosmosStore;
let collected: CollectedSpans | undefined;

beforeAll(async () => {
  const fresh = await freshEvents(cosmos);
  store = createCosmosStore({ client: cosmos.client, databaseId: fresh.databaseId });
});
afterEach(async () => {
  await collected?.stop();
  collected = undefined;
});

const deposit = (amount: number) => (state: State) => ledger.decide({ type: 'Deposit', amount }, state);

describe('transact spans and trace context in events', () => {
  it('with no SDK registered, events carry no trace context', async () => {
    const account = store.category({ name: 'Plain', codec, fold: ledger });
    await account.transact('1', deposit(5));
    const [event] = await store.readStream('Plain-1');
    expect(event?.traceparent).toBeUndefined();
    expect(event?.correlationId).toBeUndefined();
  });

  it('transact → load, decide, append spans; each appended event carries the append span as traceparent', async () => {
    collected = await collectSpans();
    const account = store.category({ name: 'Traced', codec, fold: ledger });
    await account.transact('1', (state) => [...deposit(5)(state), ...deposit(6)(state)]);
    const [transact] = collected.named('transact Traced');
    const [load] = collected.named('load Traced');
    const [decide] = collected.named('decide Traced');
    const [append] = collected.named('append Traced');
    expect(transact?.attributes).toMatchObject({
      'db.system.name': 'azure.cosmosdb',
      'db.operation.name': 'transact',
      'tributary.stream': 'Traced-1',
      'tributary.attempts': 1,
      'tributary.conflicts': 0,
      'tributary.outcome': 'written',
      'tributary.events': 2,
    });
    for (const child of [load, decide, append]) {
      expect(child?.parentSpanContext?.spanId).toBe(transact && spanIdOf(transact));
    }
    expect(append?.kind).toBe(SpanKind.CLIENT);
    expect(append?.attributes).toMatchObject({ 'tributary.stream.version': 0, 'tributary.events': 2 });
    const events = await store.readStream('Traced-1');
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event.traceparent).toBe(append && `00-${traceIdOf(append)}-${spanIdOf(append)}-01`);
    }
  });

  it('a conflict shows as a second attempt, a conflict event on the transact span and a reload', async () => {
    collected = await collectSpans();
    const existing = store.category({ name: 'Racing', codec, fold: ledger });
    // AssumeEmpty skips the read: the append conflicts with the event already there, and transact decides again
    await existing.transact('1', deposit(1));
    collected.exporter.reset();
    const uncached = store.category({ name: 'Racing', codec, fold: ledger, cache: false });
    await uncached.transact('1', deposit(2), { load: LoadOption.AssumeEmpty });
    const [transact] = collected.named('transact Racing');
    expect(transact?.attributes).toMatchObject({ 'tributary.attempts': 2, 'tributary.conflicts': 1 });
    expect(transact?.events.map((event) => event.name)).toEqual(['conflict']);
    expect(collected.named('append Racing').map((span) => span.attributes['tributary.outcome'])).toEqual([
      'conflict',
      'written',
    ]);
    expect(collected.named('load Racing')).toHaveLength(2);
  });
});
