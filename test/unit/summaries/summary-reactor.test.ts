import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidOptions, type TimelineEvent } from '../../../src/core/index.ts';
import {
  createSummaryReactor,
  defineSummaryContract,
  InvalidSummaryContract,
  type SummaryPublisher,
  type SummaryRecord,
  SummaryRejected,
} from '../../../src/summaries/index.ts';

const contract = defineSummaryContract({
  name: 'AccountSummary',
  version: 2,
  schema: z.object({ balance: z.number().nonnegative() }),
  topic: 'account-summaries',
});

function event(index: number, correlationId?: string): TimelineEvent {
  return {
    index: BigInt(index),
    type: 'Deposited',
    data: {},
    meta: undefined,
    timestamp: new Date(index),
    correlationId,
  };
}

function harness(state: { balance: number } | undefined, version: bigint) {
  const published: SummaryRecord[] = [];
  const publisher: SummaryPublisher = {
    publish: async (record) => void published.push(record),
    close: async () => {},
  };
  const loads: string[] = [];
  const reactor = createSummaryReactor({
    contract,
    category: {
      name: 'Account',
      load: async (id) => {
        loads.push(id);
        return { state, version };
      },
    },
    render: (s) => s,
    publisher,
  });
  return { reactor, published, loads };
}

describe('the summary reactor', () => {
  it('publishes the rendered current state keyed by stream, with version, contract, idempotency key and correlation id', async () => {
    const { reactor, published, loads } = harness({ balance: 30 }, 3n);
    const outcome = await reactor.handle({
      stream: 'Account-7',
      index: 1n,
      events: [event(1, 'c-1'), event(2, 'c-2')],
    });
    expect(loads).toEqual(['7']);
    expect(outcome).toEqual({ kind: 'handled', nextIndex: 3n });
    expect(published).toEqual([
      {
        topic: 'account-summaries',
        body: { balance: 30 },
        envelope: {
          stream: 'Account-7',
          version: 3n,
          contract: 'AccountSummary',
          contractVersion: 2,
          idempotencyKey: 'Account-7:3:AccountSummary@2',
          correlationId: 'c-2',
          time: new Date(2),
          source: 'urn:tributary:account-summaries',
          dataschema: 'urn:tributary:account-summaries:v2',
        },
      },
    ]);
  });

  it('reports the loaded version when the state is ahead of the events given, so they are not summarized twice', async () => {
    const { reactor } = harness({ balance: 1 }, 9n);
    expect(await reactor.handle({ stream: 'Account-7', index: 0n, events: [event(0)] })).toEqual({
      kind: 'handled',
      nextIndex: 9n,
    });
  });

  it('answers notYet when the store returns a state older than the events given', async () => {
    const { reactor, published } = harness({ balance: 1 }, 1n);
    const outcome = await reactor.handle({ stream: 'Account-7', index: 0n, events: [event(0), event(1)] });
    expect(outcome).toMatchObject({ kind: 'notYet' });
    expect(published).toEqual([]);
  });

  it('refuses a summary that does not match its contract instead of publishing it', async () => {
    const { reactor, published } = harness({ balance: -5 }, 1n);
    await expect(reactor.handle({ stream: 'Account-7', index: 0n, events: [event(0)] })).rejects.toBeInstanceOf(
      SummaryRejected,
    );
    expect(published).toEqual([]);
  });

  it('publishes nothing when render returns undefined, and ignores streams of other categories', async () => {
    const { reactor, published, loads } = harness(undefined, 1n);
    expect(await reactor.handle({ stream: 'Account-7', index: 0n, events: [event(0)] })).toEqual({
      kind: 'handled',
      nextIndex: 1n,
    });
    expect(await reactor.handle({ stream: 'Order-7', index: 0n, events: [event(0)] })).toBeUndefined();
    expect(published).toEqual([]);
    expect(loads).toEqual(['7']);
  });

  it('resolves only after the publisher acknowledged', async () => {
    let acknowledge: () => void = () => {};
    const publisher: SummaryPublisher = {
      publish: () => new Promise<void>((resolve) => (acknowledge = resolve)),
      close: async () => {},
    };
    const reactor = createSummaryReactor({
      contract,
      category: { name: 'Account', load: async () => ({ state: { balance: 1 }, version: 1n }) },
      render: (s) => s,
      publisher,
    });
    let done = false;
    const handling = reactor.handle({ stream: 'Account-1', index: 0n, events: [event(0)] }).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    acknowledge();
    await handling;
    expect(done).toBe(true);
  });
});

describe('summary contracts', () => {
  it('reject names, versions and topics that Kafka or Event Hubs would not accept', () => {
    const schema = z.object({});
    expect(() => defineSummaryContract({ name: 'A', version: 0, schema, topic: 't' })).toThrow(/integer ≥ 1/);
    expect(() => defineSummaryContract({ name: '1A', version: 1, schema, topic: 't' })).toThrow(
      /must start with a letter/,
    );
    expect(() => defineSummaryContract({ name: 'A', version: 1, schema, topic: 'a/b' })).toThrow(/topic/);
  });

  it('throw InvalidSummaryContract (an InvalidOptions) listing every field that cannot be used', () => {
    const schema = z.object({});
    let error: unknown;
    try {
      defineSummaryContract({ name: 'A', version: 1.5, schema, topic: 'a/b', schemaUri: 'relative/path' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidSummaryContract);
    expect(error).toBeInstanceOf(InvalidOptions);
    expect(error).toMatchObject({ code: 'InvalidSummaryContract', where: 'defineSummaryContract("A")' });
    expect((error as InvalidSummaryContract).problems.map((problem) => problem.split(':')[0])).toEqual([
      'version',
      'topic',
      'schemaUri',
    ]);
    const contract = defineSummaryContract({ name: 'A', version: 2, schema, topic: 'a' });
    expect(contract).toMatchObject({ source: 'urn:tributary:a', schemaUri: 'urn:tributary:a:v2' });
  });
});
