import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import {
  createChangeFeedTriggerHandler,
  SpanNotFinished,
  StreamNotYetHandled,
  TriggerBatchFailed,
} from '../../../src/azure-functions/index.ts';
import { createStreamPositions } from '../../../src/azure-functions/stream-positions.ts';
import { InvalidOptions, type StreamSpan } from '../../../src/core/index.ts';
import type { HandlerOutcome } from '../../../src/streams/index.ts';

const event = (type: string) => ({ t: '2026-11-23T10:00:00.000Z', c: type, d: { type } });
/** A tip holding events from version `i` (earlier ones calved into batches), as the change feed delivers it. */
const tip = (stream: string, i: number, types: string[]) => ({
  id: '-1',
  p: stream,
  i,
  n: i + types.length,
  e: types.map(event),
  u: [],
});
const batch = (stream: string, i: number, types: string[]) => ({
  id: String(i),
  p: stream,
  i,
  n: i + types.length,
  e: types.map(event),
});
const quiet = () => new InvocationContext({ functionName: 'test', logHandler: () => {} });

function recordingHandler(outcome: (span: StreamSpan) => HandlerOutcome = () => undefined) {
  const calls: string[] = [];
  const handle = async (span: StreamSpan) => {
    calls.push(`${span.stream}@${span.index}:${span.events.map((e) => e.type).join(',')}`);
    return outcome(span);
  };
  return { calls, handle };
}

describe('the Cosmos DB trigger adapter', () => {
  it('joins a calved batch and its tip into one ordered span, each event once', async () => {
    const { calls, handle } = recordingHandler();
    const trigger = createChangeFeedTriggerHandler({ name: 'test', handle });
    await trigger([tip('Account-1', 2, ['C', 'D']), batch('Account-1', 0, ['A', 'B'])], quiet());
    expect(calls).toEqual(['Account-1@0:A,B,C,D']);
  });

  it('drops what this instance already handled when the feed or the host delivers it again', async () => {
    const { calls, handle } = recordingHandler();
    const trigger = createChangeFeedTriggerHandler({ name: 'test', handle });
    await trigger([tip('Account-1', 0, ['A', 'B'])], quiet());
    await trigger([tip('Account-1', 0, ['A', 'B'])], quiet());
    await trigger([tip('Account-1', 0, ['A', 'B', 'C'])], quiet());
    expect(calls).toEqual(['Account-1@0:A,B', 'Account-1@2:C']);
    expect(trigger.positions.get('Account-1')).toBe(3n);
  });

  it('throws when a stream fails so the host retries, having handled and remembered the other streams', async () => {
    let failing = true;
    const { calls, handle } = recordingHandler((span) => {
      if (span.stream === 'Account-2' && failing) throw new Error('view store unavailable');
      return undefined;
    });
    const trigger = createChangeFeedTriggerHandler({ name: 'balances', handle });
    const documents = [tip('Account-1', 0, ['A']), tip('Account-2', 0, ['B'])];
    const first = trigger(documents, quiet());
    await expect(first).rejects.toBeInstanceOf(TriggerBatchFailed);
    await expect(first).rejects.toThrow(
      'balances failed on 1 stream(s) of the batch (Account-2: view store unavailable)',
    );
    failing = false;
    await trigger(documents, quiet());
    expect(calls).toEqual(['Account-1@0:A', 'Account-2@0:B', 'Account-2@0:B']);
  });

  it('treats "not yet" as a failure of the batch: the trigger cannot hold one stream back on its own', async () => {
    const trigger = createChangeFeedTriggerHandler({
      name: 'test',
      handle: async () => ({ kind: 'notYet', reason: 'the target account is not projected' }),
    });
    const failed = await trigger([tip('Transfer-9', 0, ['Requested'])], quiet()).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TriggerBatchFailed);
    expect((failed as TriggerBatchFailed).message).toContain('not yet: the target account is not projected');
    const [failure] = (failed as TriggerBatchFailed).failures;
    expect(failure?.error).toBeInstanceOf(StreamNotYetHandled);
    expect(failure?.error).toMatchObject({ stream: 'Transfer-9', reason: 'the target account is not projected' });
    expect(trigger.positions.get('Transfer-9')).toBeUndefined();
  });

  it('takes a position the handler reports beyond its span, and refuses one short of it', async () => {
    const { calls, handle } = recordingHandler((span) => ({ kind: 'handled', nextIndex: span.index + 5n }));
    const trigger = createChangeFeedTriggerHandler({ name: 'test', handle });
    await trigger([tip('Account-1', 0, ['A'])], quiet());
    await trigger([tip('Account-1', 0, ['A', 'B', 'C'])], quiet());
    expect(calls).toEqual(['Account-1@0:A']);
    const short = createChangeFeedTriggerHandler({
      name: 'test',
      handle: async () => ({ kind: 'handled', nextIndex: 1n }),
    });
    const failed = await short([tip('Account-1', 0, ['A', 'B'])], quiet()).catch((error: unknown) => error);
    expect((failed as TriggerBatchFailed).message).toContain('stopped at version 1');
    expect((failed as TriggerBatchFailed).failures[0]?.error).toBeInstanceOf(SpanNotFinished);
  });

  it('handles streams side by side but never two spans of one stream at once', async () => {
    let active = 0;
    let most = 0;
    const trigger = createChangeFeedTriggerHandler({
      name: 'test',
      maxConcurrentStreams: 3,
      handle: async () => {
        active++;
        most = Math.max(most, active);
        await new Promise((resolve) => setImmediate(resolve));
        active--;
        return undefined;
      },
    });
    await trigger(
      Array.from({ length: 10 }, (_, n) => tip(`Account-${n}`, 0, ['A'])),
      quiet(),
    );
    expect(most).toBe(3);
  });

  it('remembers a bounded number of streams, least recently used forgotten first', () => {
    const positions = createStreamPositions(2);
    positions.advance('a', 1n);
    positions.advance('b', 1n);
    positions.advance('a', 2n);
    positions.advance('c', 1n);
    expect([positions.get('a'), positions.get('b'), positions.get('c')]).toEqual([2n, undefined, 1n]);
    positions.advance('a', 1n);
    expect(positions.get('a')).toBe(2n);
  });
});

describe('createChangeFeedTriggerHandler options', () => {
  it('refuses options that break their schema with InvalidOptions naming each one', () => {
    const handle = async () => undefined;
    const refused = (options: unknown) => {
      try {
        createChangeFeedTriggerHandler(options as Parameters<typeof createChangeFeedTriggerHandler>[0]);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const error = refused({ name: 'test', handle, maxConcurrentStreams: 0, rememberedStreams: 1.5 });
    expect(error).toBeInstanceOf(InvalidOptions);
    expect((error as InvalidOptions).problems).toHaveLength(2);
    expect((error as InvalidOptions).message).toMatch(
      /createChangeFeedTriggerHandler: maxConcurrentStreams: .*rememberedStreams/,
    );
    expect(refused({ name: 'test' })).toBeInstanceOf(InvalidOptions);
  });
});
