import { describe, expect, it } from 'vitest';
import { InvalidOptions, type TimelineEvent } from '../../../src/core/index.ts';
import { createReactor, handledUpTo, InvalidReactor, notYet } from '../../../src/reactors/index.ts';

const event = (index: number): TimelineEvent => ({
  index: BigInt(index),
  type: 'E',
  data: {},
  meta: undefined,
  timestamp: new Date(0),
});

describe('reactors', () => {
  it('hand a stream’s events to the side effect with the stream name and first version', async () => {
    const calls: string[] = [];
    const reactor = createReactor({
      name: 'Mailer',
      handle: async (stream, events, context) => {
        calls.push(`${context.reactor} ${stream} from ${context.index}: ${events.length}`);
      },
    });
    expect(await reactor.handle({ stream: 'Order-1', index: 4n, events: [event(4), event(5)] })).toBeUndefined();
    expect(calls).toEqual(['Mailer Order-1 from 4: 2']);
    expect(reactor.processorName).toBe('reactor-Mailer');
  });

  it('skip streams outside their categories without calling the side effect', async () => {
    let calls = 0;
    const reactor = createReactor({ name: 'Mailer', categories: ['Order'], handle: async () => void calls++ });
    expect(await reactor.handle({ stream: 'Account-1', index: 0n, events: [event(0)] })).toBeUndefined();
    expect(calls).toBe(0);
  });

  it('pass notYet and progress answers through to the scheduler', async () => {
    const waiting = createReactor({ name: 'W', handle: async () => notYet('customer not projected yet') });
    expect(await waiting.handle({ stream: 'Order-1', index: 0n, events: [event(0)] })).toEqual({
      kind: 'notYet',
      reason: 'customer not projected yet',
    });
    const ahead = createReactor({ name: 'A', handle: async () => handledUpTo(7n) });
    expect(await ahead.handle({ stream: 'Order-1', index: 0n, events: [event(0)] })).toEqual({
      kind: 'handled',
      nextIndex: 7n,
    });
  });

  it('refuse a name that cannot name a processor', () => {
    expect(() => createReactor({ name: 'a/b', handle: async () => {} })).toThrow(InvalidReactor);
  });

  it('refuse a definition with InvalidReactor (an InvalidOptions) listing every broken field', () => {
    let error: unknown;
    try {
      createReactor({ name: '', categories: [''] } as unknown as Parameters<typeof createReactor>[0]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidReactor);
    expect(error).toBeInstanceOf(InvalidOptions);
    expect((error as InvalidReactor).problems.map((problem) => problem.split(':')[0])).toEqual([
      'name',
      'categories.0',
      'handle',
    ]);
  });
});
