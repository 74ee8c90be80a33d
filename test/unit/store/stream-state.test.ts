import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src/core/index.ts';
import {
  type BatchDocument,
  MissingEvents,
  planAppend,
  type TipDocument,
  type TipPosition,
  type UnfoldDocument,
} from '../../../src/store/index.ts';
import { type Rebuild, rebuildFromTip } from '../../../src/store/stream-state.ts';

type Event = { type: 'Added'; data: { n: number } } | { type: 'Snapshot'; data: { total: number; count: number } };
type State = { total: number; count: number };

const at = '2026-01-01T00:00:00.000Z';
const stored = (n: number) => ({ t: at, c: 'Added', d: { n } });

function rebuild(
  batches: BatchDocument[],
  isOrigin: (e: Event) => boolean,
  reads: { batches: number },
): Rebuild<Event, State> {
  return {
    fold: {
      initial: { total: 0, count: 0 },
      evolve: (s, e) => (e.type === 'Snapshot' ? e.data : { total: s.total + e.data.n, count: s.count + 1 }),
    },
    isOrigin,
    decode: (e: TimelineEvent) => ({ type: e.type, data: e.data }) as Event,
    decodeUnfold: (u: UnfoldDocument) => (u.c === 'Snapshot' ? ({ type: u.c, data: u.d } as Event) : undefined),
    async *batchesBefore(before) {
      for (const batch of [...batches].sort((a, b) => b.i - a.i)) {
        if (batch.i >= before) continue;
        reads.batches += 1;
        yield batch;
      }
    },
  };
}

/** Appends `values` in chunks through the real calving plan; returns the stored documents. */
function write(chunks: number[][], limits = { maxEvents: 3, maxJsonLength: 10_000 }, snapshot = false) {
  const batches: BatchDocument[] = [];
  let tip: TipPosition | undefined;
  let plan: { tip: TipDocument } | undefined;
  let state = { total: 0, count: 0 };
  for (const chunk of chunks) {
    for (const n of chunk) state = { total: state.total + n, count: state.count + 1 };
    const n = (tip?.n ?? 0) + chunk.length;
    const unfolds = snapshot ? [{ i: n, t: at, c: 'Snapshot', d: state }] : [];
    const next = planAppend('S-1', tip, chunk.map(stored), unfolds, limits);
    if (next.calved) batches.push(next.calved);
    tip = next.tip;
    plan = next;
  }
  return { batches, tip: plan?.tip as TipDocument, state };
}

describe('rebuilding a stream from its tip', () => {
  it('folds from a snapshot unfold in the tip without reading batches', async () => {
    const { batches, tip, state } = write([[1, 2], [3, 4], [5]], { maxEvents: 1, maxJsonLength: 10_000 }, true);
    const reads = { batches: 0 };
    const loaded = await rebuildFromTip(
      'S-1',
      tip,
      'e',
      rebuild(batches, (e) => e.type === 'Snapshot', reads),
    );
    expect(loaded.state).toEqual(state);
    expect(loaded.version).toBe(5n);
    expect(reads.batches).toBe(0);
  });

  it('reads batches backwards to the start when nothing is an origin', async () => {
    const { batches, tip, state } = write([[1, 2], [3, 4], [5], [6, 7, 8]]);
    const reads = { batches: 0 };
    const loaded = await rebuildFromTip(
      'S-1',
      tip,
      'e',
      rebuild(batches, () => false, reads),
    );
    expect(loaded.state).toEqual(state);
    expect(reads.batches).toBe(batches.length);
  });

  it('continues from a known state when the tip still holds every newer event', async () => {
    const { batches, tip } = write([[1, 2, 3, 4], [5]]);
    const reads = { batches: 0 };
    const loaded = await rebuildFromTip(
      'S-1',
      tip,
      'e',
      rebuild(batches, () => false, reads),
      {
        version: 4n,
        state: { total: 100, count: 4 },
      },
    );
    expect(loaded.state).toEqual({ total: 105, count: 5 });
    expect(reads.batches).toBe(0);
  });

  it('raises MissingEvents when the batches do not reach back to the start', async () => {
    const { batches, tip } = write([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
    const holed = batches.filter((b) => b.i !== 0);
    await expect(
      rebuildFromTip(
        'S-1',
        tip,
        'e',
        rebuild(holed, () => false, { batches: 0 }),
      ),
    ).rejects.toThrow(MissingEvents);
  });

  it('rebuilds the same state as folding every event, for any calving layout', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 15,
        }),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        async (chunks, maxEvents, snapshot) => {
          const { batches, tip, state } = write(chunks, { maxEvents, maxJsonLength: 400 }, snapshot);
          const isOrigin = (e: Event) => e.type === 'Snapshot';
          const loaded = await rebuildFromTip('S-1', tip, 'e', rebuild(batches, isOrigin, { batches: 0 }));
          expect(loaded.state).toEqual(state);
          expect(loaded.version).toBe(BigInt(state.count));
        },
      ),
    );
  });
});
