import { InvocationContext } from '@azure/functions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createChangeFeedTriggerHandler } from '../../../src/azure-functions/index.ts';
import type { StreamSpan } from '../../../src/core/index.ts';

const event = (version: number) => ({ t: '2026-11-23T10:00:00.000Z', c: 'Happened', d: { version } });
const documentOf = (stream: string, i: number, count: number, id = String(i)) => ({
  id,
  p: stream,
  i,
  n: i + count,
  e: Array.from({ length: count }, (_, k) => event(i + k)),
});
const quiet = () => new InvocationContext({ functionName: 'test', logHandler: () => {} });

function recording() {
  const versions = new Map<string, number[]>();
  const handle = async (span: StreamSpan) => {
    const seen = versions.get(span.stream) ?? [];
    seen.push(...span.events.map((e) => Number(e.index)));
    versions.set(span.stream, seen);
    return undefined;
  };
  return { handle, versionsOf: (stream: string) => versions.get(stream) ?? [] };
}

describe('the Cosmos DB trigger adapter reading from the beginning', () => {
  it('hands a stream from version 0 when an older batch, re-written, comes in a later batch', async () => {
    const { handle, versionsOf } = recording();
    const trigger = createChangeFeedTriggerHandler({
      name: 't',
      handle,
      startFromBeginning: true,
      maxItemsPerInvocation: 3,
    });
    await trigger([documentOf('A-1', 3, 3), documentOf('A-1', 6, 1, '-1'), documentOf('A-2', 0, 2)], quiet());
    expect(versionsOf('A-1')).toEqual([]);
    expect(trigger.counts().heldStreams).toBe(1);
    await trigger([documentOf('A-1', 0, 3)], quiet());
    expect(versionsOf('A-1')).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(trigger.counts()).toEqual({ foreignDocuments: 0, skippedAtStart: 0, heldStreams: 0 });
  });

  it('starts a stream still waiting for version 0 at its first version once a batch reached the head, counting the rest', async () => {
    const { handle, versionsOf } = recording();
    const trigger = createChangeFeedTriggerHandler({
      name: 't',
      handle,
      startFromBeginning: true,
      maxItemsPerInvocation: 1,
    });
    await trigger([documentOf('A-1', 4, 2, '-1')], quiet());
    expect(versionsOf('A-1')).toEqual([]);
    await trigger([], quiet());
    expect(versionsOf('A-1')).toEqual([4, 5]);
    expect(trigger.counts().skippedAtStart).toBe(4);
  });

  it('keeps the held events of a stream whose handler failed, for the batch the host delivers again', async () => {
    let failing = true;
    const { handle: record, versionsOf } = recording();
    const handle = async (span: StreamSpan) => {
      if (failing && span.stream === 'A-1') throw new Error('view store unavailable');
      return record(span);
    };
    const trigger = createChangeFeedTriggerHandler({
      name: 't',
      handle,
      startFromBeginning: true,
      maxItemsPerInvocation: 5,
    });
    await trigger(
      [
        documentOf('A-1', 2, 1),
        documentOf('B-1', 0, 5),
        documentOf('B-2', 0, 5),
        documentOf('B-3', 0, 5),
        documentOf('B-4', 0, 5),
      ],
      quiet(),
    );
    await expect(trigger([documentOf('A-1', 0, 2)], quiet())).rejects.toThrow('view store unavailable');
    failing = false;
    await trigger([documentOf('A-1', 0, 2)], quiet());
    expect(versionsOf('A-1')).toEqual([0, 1, 2]);
  });

  it('passes over another writer’s document and counts it, failing only on one that claims to hold events', async () => {
    const { handle, versionsOf } = recording();
    const trigger = createChangeFeedTriggerHandler({ name: 't', handle });
    await trigger([{ id: 'order-7', p: 'Order-7', status: 'shipped' }, documentOf('A-1', 0, 1)], quiet());
    expect(versionsOf('A-1')).toEqual([0]);
    expect(trigger.counts().foreignDocuments).toBe(1);
    await expect(trigger([{ id: '0', p: 'A-2', i: 0, e: 'oops' }], quiet())).rejects.toThrow('A-2');
  });

  it('hands versions 0..n-1 exactly once, in order, whatever the order and batching of the documents', async () => {
    const stream = fc
      .record({
        length: fc.integer({ min: 1, max: 25 }),
        cutSeeds: fc.array(fc.integer({ min: 1, max: 24 }), { maxLength: 5 }),
      })
      .chain(({ length, cutSeeds }) => {
        const cuts = [...new Set(cutSeeds.filter((cut) => cut < length))].sort((a, b) => a - b);
        const bounds = [0, ...cuts, length];
        const batches = bounds.slice(0, -1).map((from, k) => documentOf('S-1', from, bounds[k + 1]! - from));
        const tip = fc
          .tuple(fc.integer({ min: 0, max: bounds.length - 2 }), fc.integer({ min: 1, max: length }))
          .map(([k, upTo]) =>
            documentOf('S-1', bounds[k]!, Math.max(1, Math.min(upTo, bounds[k + 1]!) - bounds[k]!), '-1'),
          );
        return fc.record({
          documents: fc.tuple(
            fc.shuffledSubarray(batches, { minLength: batches.length, maxLength: batches.length }),
            fc.array(tip, { maxLength: 4 }),
            fc.array(fc.constantFrom(...batches), { maxLength: 3 }),
          ),
          order: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
          batchSize: fc.integer({ min: 1, max: 4 }),
          length: fc.constant(length),
        });
      });
    await fc.assert(
      fc.asyncProperty(stream, async ({ documents: [batches, tips, repeats], order, batchSize, length }) => {
        const shuffled = [...batches, ...tips, ...repeats]
          .map((document, k) => ({ document, key: order[k % order.length]! + k / 1000 }))
          .sort((a, b) => a.key - b.key)
          .map(({ document }) => document);
        const { handle, versionsOf } = recording();
        const trigger = createChangeFeedTriggerHandler({
          name: 't',
          handle,
          startFromBeginning: true,
          maxItemsPerInvocation: batchSize,
        });
        // the host delivers full batches until the last one, which reached the head of the feed
        for (let at = 0; at < shuffled.length; at += batchSize)
          await trigger(shuffled.slice(at, at + batchSize), quiet());
        if (shuffled.length % batchSize === 0) await trigger([], quiet());
        expect(versionsOf('S-1')).toEqual(Array.from({ length }, (_, version) => version));
      }),
      { numRuns: 300 },
    );
  });
});
