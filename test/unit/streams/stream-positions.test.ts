import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/streams/scheduler.ts';
import { doc, isSettled, readDocument, recorder } from './support.ts';

const page = (documents: Record<string, unknown>[], leaseToken = '0') => ({ leaseToken, documents, continuation: 'c' });
const fromCheckpoint = (handled: Record<string, number> = {}) => ({ fromBeginning: false, handled });

describe('where the scheduler starts a stream', () => {
  it('hands a stream from version 0 when an older batch, re-written, comes after the later ones', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    scheduler.open('0', { fromBeginning: true, handled: {} });
    const later = await scheduler.ingest(
      page([doc('Account-1', 3, 3), doc('Account-1', 6, 1), doc('Account-2', 0, 2)]),
    );
    expect(await isSettled(later.handled)).toBe(false);
    expect(scheduler.stats().gaps.open).toBe(1);
    const rewritten = await scheduler.ingest(page([doc('Account-1', 0, 3)]));
    await Promise.all([later.handled, rewritten.handled]);
    expect(versionsOf('Account-1')).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(scheduler.stats()).toMatchObject({ duplicates: 0, gaps: { open: 0, skippedAtStart: 0 } });
  });

  it('starts from version 0 a lease it was never told about', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    await scheduler.ingest(page([doc('Account-1', 3, 2)]));
    await (await scheduler.ingest(page([doc('Account-1', 0, 3)]))).handled;
    expect(versionsOf('Account-1')).toEqual([0, 1, 2, 3, 4]);
  });

  it('starts a stream still waiting for version 0 at its first version once the reader reached the head, counting what it passed over', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    scheduler.open('0', { fromBeginning: true, handled: {} });
    scheduler.open('1', { fromBeginning: true, handled: {} });
    const waiting = await scheduler.ingest(page([doc('Account-1', 5, 2)]));
    const other = await scheduler.ingest(page([doc('Account-2', 4, 1)], '1'));
    scheduler.caughtUp('0');
    await waiting.handled;
    expect(versionsOf('Account-1')).toEqual([5, 6]);
    expect(await isSettled(other.handled)).toBe(false);
    expect(scheduler.stats().gaps).toMatchObject({ open: 1, skippedAtStart: 5 });
  });

  it('does not hand again the events below a handled position carried with the checkpoint', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    scheduler.open('0', fromCheckpoint({ 'Account-1': 4 }));
    await (await scheduler.ingest(page([doc('Account-1', 0, 6)]))).handled;
    expect(versionsOf('Account-1')).toEqual([4, 5]);
    expect(scheduler.stats().duplicates).toBe(4);
  });

  it('reports the handled positions of the most recently handled streams of a lease, up to carriedPositions', async () => {
    const { handle } = recorder();
    const scheduler = createScheduler({ handle, carriedPositions: 2 }, readDocument);
    await (await scheduler.ingest(page([doc('A-1', 0, 1), doc('A-2', 0, 2)]))).handled;
    await (await scheduler.ingest(page([doc('A-3', 0, 3)]))).handled;
    await (await scheduler.ingest(page([doc('B-1', 0, 1)], '1'))).handled;
    expect(scheduler.handled('0')).toEqual({ 'A-2': 2, 'A-3': 3 });
    expect(scheduler.handled('1')).toEqual({ 'B-1': 1 });
    scheduler.revoke('0');
    expect(scheduler.handled('0')).toEqual({});
  });
});

describe('documents of other writers in the events container', () => {
  it('passes over a document that does not claim to hold events and counts it', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    const { handled } = await scheduler.ingest(
      page([{ id: 'order-7', p: 'Order-7', status: 'shipped' }, doc('Account-1', 0, 1)]),
    );
    await handled;
    expect(versionsOf('Account-1')).toEqual([0]);
    expect(scheduler.stats()).toMatchObject({ foreignDocuments: 1, failures: 0, streams: { failing: 0 } });
  });

  it('holds a document that claims to hold events but is broken', async () => {
    const { handle } = recorder();
    const scheduler = createScheduler({ handle }, readDocument);
    const { handled } = await scheduler.ingest(page([{ id: '0', p: 'Account-1', i: 0, e: 'oops' }]));
    expect(await isSettled(handled)).toBe(false);
    expect(scheduler.stats()).toMatchObject({ foreignDocuments: 0, streams: { failing: 1 } });
  });
});

/** A stream of `length` events stored as batches calved at `cuts`, plus tips each holding the events after a cut. */
const feedOfOneStream = fc
  .record({
    length: fc.integer({ min: 1, max: 30 }),
    cutSeeds: fc.array(fc.integer({ min: 1, max: 29 }), { maxLength: 6 }),
  })
  .chain(({ length, cutSeeds }) => {
    const cuts = [...new Set(cutSeeds.filter((cut) => cut < length))].sort((a, b) => a - b);
    const bounds = [0, ...cuts, length];
    const batches = bounds.slice(0, -1).map((from, k) => doc('S-1', from, bounds[k + 1]! - from));
    // a tip seen at some moment: the events after the last calve before that moment, up to that moment
    const tip = fc
      .tuple(fc.integer({ min: 0, max: bounds.length - 2 }), fc.integer({ min: 1, max: length }))
      .map(([k, upTo]) => {
        const from = bounds[k]!;
        return doc('S-1', from, Math.max(1, Math.min(upTo, bounds[k + 1]!) - from));
      });
    return fc.record({
      documents: fc.tuple(
        fc.shuffledSubarray(batches, { minLength: batches.length, maxLength: batches.length }),
        fc.array(tip, { maxLength: 5 }),
        fc.array(fc.constantFrom(...batches), { maxLength: 3 }),
      ),
      order: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
      pageSize: fc.integer({ min: 1, max: 5 }),
      length: fc.constant(length),
    });
  });

describe('any arrival order of a stream’s documents', () => {
  it('hands the handler versions 0..n-1 exactly once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(feedOfOneStream, async ({ documents: [batches, tips, repeats], order, pageSize, length }) => {
        const all = [...batches, ...tips, ...repeats];
        const shuffled = all
          .map((document, k) => ({ document, key: order[k % order.length]! + k / 1000 }))
          .sort((a, b) => a.key - b.key)
          .map(({ document }) => document);
        const { handle, versionsOf } = recorder();
        const scheduler = createScheduler({ handle }, readDocument);
        scheduler.open('0', { fromBeginning: true, handled: {} });
        const pages: Promise<void>[] = [];
        for (let at = 0; at < shuffled.length; at += pageSize)
          pages.push((await scheduler.ingest(page(shuffled.slice(at, at + pageSize)))).handled);
        await Promise.all(pages);
        expect(versionsOf('S-1')).toEqual(Array.from({ length }, (_, version) => version));
        scheduler.close();
      }),
      { numRuns: 300 },
    );
  });
});
