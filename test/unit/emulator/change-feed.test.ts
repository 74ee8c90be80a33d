import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readChangeFeed } from '../../../src/emulator/change-feed.ts';
import { ContainerState, type PhysicalRange } from '../../../src/emulator/container.ts';
import { createDocument, deleteDocument, upsertDocument, WriteSession } from '../../../src/emulator/documents.ts';

type Step =
  | { kind: 'upsert'; stream: number; id: number; value: number }
  | { kind: 'create'; stream: number; id: number }
  | { kind: 'delete'; stream: number; id: number }
  | { kind: 'batch'; stream: number; ids: number[]; value: number }
  | { kind: 'split' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('upsert' as const), stream: fc.nat(7), id: fc.nat(3), value: fc.nat() }),
  fc.record({ kind: fc.constant('create' as const), stream: fc.nat(7), id: fc.nat(3) }),
  fc.record({ kind: fc.constant('delete' as const), stream: fc.nat(7), id: fc.nat(3) }),
  fc.record({
    kind: fc.constant('batch' as const),
    stream: fc.nat(7),
    ids: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 4 }),
    value: fc.nat(),
  }),
  fc.constant({ kind: 'split' as const }),
);

function newContainer(partitions: number): ContainerState {
  const container = new ContainerState('AAAAAA==', 'AAAAAAAAAAA=', {
    id: 'c',
    partitionKey: { paths: ['/p'], kind: 'Hash', version: 2 },
  });
  container.createRanges(partitions);
  return container;
}

function apply(container: ContainerState, s: Step): void {
  const session = new WriteSession(container);
  const key = [`Stream-${'stream' in s ? s.stream : 0}`];
  try {
    switch (s.kind) {
      case 'upsert':
        upsertDocument(session, { id: String(s.id), p: key[0], v: s.value }, key, {});
        break;
      case 'create':
        createDocument(session, { id: String(s.id), p: key[0] }, key);
        break;
      case 'delete':
        deleteDocument(session, String(s.id), key, {});
        break;
      case 'batch':
        for (const id of s.ids) upsertDocument(session, { id: String(id), p: key[0], v: s.value }, key, {});
        break;
      case 'split': {
        const widest = container.ranges[0]!;
        container.split(widest.id);
        return;
      }
    }
  } catch {
    return; // a refused write (409, 404) leaves no trace, like a failed request
  }
  session.commit();
}

/** Reads every range like the SDK does: per range, page by page, following each range's own continuation. */
function readAll(container: ContainerState, from: Map<string, number>, pageSize: number) {
  const seen: { key: string; lsn: number; json: string }[] = [];
  const next = new Map<string, number>();
  for (const range of container.ranges) {
    let lsn = continuationFor(range, from);
    for (;;) {
      const page = readChangeFeed(container, { ranges: [range] }, { kind: 'continuation', lsn }, pageSize);
      lsn = page.continuationLsn;
      if (page.documents.length === 0) break;
      for (const document of page.documents) {
        seen.push({ key: `${document.partition.key}/${document.id}`, lsn: document.lsn, json: document.json });
      }
    }
    next.set(range.id, lsn);
  }
  return { seen, next };
}

/** A child range continues from its parent's token (one LSN counter per container). */
function continuationFor(range: PhysicalRange, from: Map<string, number>): number {
  for (const id of [range.id, ...[...range.parents].reverse()]) {
    const lsn = from.get(id);
    if (lsn !== undefined) return lsn;
  }
  return 0;
}

function liveDocuments(container: ContainerState) {
  const live = new Map<string, { lsn: number; json: string }>();
  for (const partition of container.partitions.values()) {
    for (const document of partition.documents.values()) {
      live.set(`${partition.key}/${document.id}`, { lsn: document.lsn, json: document.json });
    }
  }
  return live;
}

describe('change feed log', () => {
  it('delivers every live document exactly once, at its newest version, across writes, deletes and splits', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.array(step, { maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 7 }),
        (before, after, partitions, pageSize) => {
          const container = newContainer(partitions);
          for (const s of before) apply(container, s);
          const first = readAll(container, new Map(), pageSize);
          const live = liveDocuments(container);
          expect(first.seen.map((entry) => entry.key).sort()).toEqual([...live.keys()].sort());
          for (const entry of first.seen) expect(entry.json).toBe(live.get(entry.key)!.json);

          const changedAfter = new Set<string>();
          const lsnBefore = container.lsn;
          for (const s of after) apply(container, s);
          for (const [key, document] of liveDocuments(container)) {
            if (document.lsn > lsnBefore) changedAfter.add(key);
          }
          const second = readAll(container, first.next, pageSize);
          expect(second.seen.map((entry) => entry.key).sort()).toEqual([...changedAfter].sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the documents of one write together on one page, whatever the page size', () => {
    const container = newContainer(1);
    apply(container, { kind: 'batch', stream: 1, ids: [0, 1, 2, 3], value: 1 });
    apply(container, { kind: 'upsert', stream: 2, id: 0, value: 1 });
    const page = readChangeFeed(container, { ranges: container.ranges }, { kind: 'beginning' }, 1);
    expect(page.documents).toHaveLength(4);
  });

  it('answers "from now" with the current LSN and no documents', () => {
    const container = newContainer(1);
    apply(container, { kind: 'upsert', stream: 1, id: 0, value: 1 });
    const page = readChangeFeed(container, { ranges: container.ranges }, { kind: 'now' }, 10);
    expect(page).toEqual({ documents: [], continuationLsn: container.lsn });
  });

  it('compacts superseded versions, so a document updated thousands of times costs one log entry to read', () => {
    const container = newContainer(1);
    for (let i = 0; i < 5000; i++) apply(container, { kind: 'upsert', stream: 1, id: 0, value: i });
    const range = container.ranges[0]!;
    expect(range.log.length).toBeLessThan(2100);
    const page = readChangeFeed(container, { ranges: [range] }, { kind: 'beginning' }, 10);
    expect(page.documents.map((document) => JSON.parse(document.json).v)).toEqual([4999]);
  });
});
