import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContainerState } from '../../../src/emulator/container.ts';
import { createDocument, deleteDocument, WriteSession } from '../../../src/emulator/documents.ts';

function container(retentionDuration: number): ContainerState {
  const state = new ContainerState('AAAAAA==', 'AAAAAAAAAAA=', {
    id: 'c',
    partitionKey: { paths: ['/p'], kind: 'Hash', version: 2 },
    changeFeedPolicy: { retentionDuration },
  });
  state.createRanges(1);
  return state;
}

function writeAt(state: ContainerState, at: number, write: (session: WriteSession) => void): void {
  vi.setSystemTime(at);
  const session = new WriteSession(state);
  write(session);
  session.commit();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the all-versions history', () => {
  it('keeps changes for the retention and no longer, and moves its start past what it dropped', () => {
    vi.useFakeTimers();
    const state = container(1);
    const t0 = Date.UTC(2026, 0, 1);
    writeAt(state, t0, (session) => createDocument(session, { id: 'a', p: 'S' }, ['S']));
    writeAt(state, t0 + 30_000, (session) => createDocument(session, { id: 'b', p: 'S' }, ['S']));
    expect(state.historyStartLsn()).toBe(0);
    writeAt(state, t0 + 90_000, (session) => deleteDocument(session, 'a', ['S'], {}));
    const history = state.ranges[0]!.history;
    expect(history.map((change) => [change.lsn, change.operation])).toEqual([
      [2, 'create'],
      [3, 'delete'],
    ]);
    expect(history[1]!.previous?.lsn).toBe(1);
    expect(state.historyStartLsn()).toBe(1);
  });

  it('records nothing without a retention', () => {
    const state = container(0);
    const session = new WriteSession(state);
    createDocument(session, { id: 'a', p: 'S' }, ['S']);
    session.commit();
    expect(state.ranges[0]!.history).toEqual([]);
    expect(state.historyStartLsn()).toBeUndefined();
  });
});
