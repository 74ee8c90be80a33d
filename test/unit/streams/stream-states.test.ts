import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamSpan } from '../../../src/streams/stream-span.ts';
import { StreamStates } from '../../../src/streams/stream-states.ts';
import { span } from './support.ts';

const versions = (states: StreamStates, stream: string) =>
  (states.get(stream)?.pending ?? []).flatMap((s) => s.events.map((e) => Number(e.index)));

describe('stream states', () => {
  it('merges spans into a stream, dropping what is below its write position as duplicates', () => {
    const states = new StreamStates();
    const state = states.stateOf('A');
    state.writePosition = 2;
    expect(states.add(state, span('A', 0, 4), 0)).toBe(4);
    expect(states.add(state, span('A', 0, 2), 0)).toBe(-1);
    expect(states.add(state, span('A', 4, 2), 0)).toBe(6);
    expect(versions(states, 'A')).toEqual([2, 3, 4, 5]);
    expect(states.duplicates).toBe(4);
    expect(states.buffered).toBe(4);
    expect(state.pending).toHaveLength(1);
  });

  it('never changes an events array a handler may hold: only its own appended tail grows in place', () => {
    const states = new StreamStates();
    const state = states.stateOf('A');
    state.writePosition = 0;
    const given = span('A', 0, 2);
    states.add(state, given, 0);
    states.add(state, span('A', 2, 1), 0);
    states.add(state, span('A', 3, 1), 0);
    expect(given.events).toHaveLength(2);
    expect(versions(states, 'A')).toEqual([0, 1, 2, 3]);
  });

  it('opens a gap for a stream whose next events are missing, and closes it once they come', () => {
    const states = new StreamStates();
    const state = states.stateOf('A');
    state.writePosition = 0;
    states.add(state, span('A', 3, 1), 0);
    expect(states.isReady(state)).toBe(false);
    states.trackGap(state, 5);
    expect(states.openGaps).toBe(1);
    states.add(state, span('A', 0, 3), 0);
    expect(states.isReady(state)).toBe(true);
    states.trackGap(state, 6);
    expect(states.openGaps).toBe(0);
  });

  it('holds a stream with a malformed document, whatever it has pending', () => {
    const states = new StreamStates();
    const state = states.stateOf('A');
    states.add(state, span('A', 0, 1), 0);
    states.holdMalformed(state, { document: {}, error: { name: 'E', message: 'm' } });
    expect(states.isReady(state)).toBe(false);
    expect(states.heldByMalformed).toBe(1);
    states.clearWork(state);
    expect(states.heldByMalformed).toBe(0);
    expect(states.buffered).toBe(0);
  });

  it('starts a stream that never got its first versions at the first it has, counting the skipped ones', () => {
    const states = new StreamStates();
    const state = states.stateOf('A');
    state.leaseToken = '0';
    states.place(state, { kind: 'beginning' });
    states.add(state, span('A', 4, 2), 0);
    states.trackGap(state, 1);
    expect(states.skipStartGaps('1')).toEqual([]);
    expect(states.skipStartGaps('0')).toEqual([state]);
    expect(state.writePosition).toBe(4);
    expect(states.skippedAtStart).toBe(4);
  });

  it('forgets idle streams, oldest first, down to 90% of the limit, never one with work', () => {
    const states = new StreamStates();
    for (let i = 0; i < 10; i++) states.stateOf(`S-${i}`);
    states.add(states.stateOf('S-0'), span('S-0', 0, 1), 0);
    states.forgetIdle(5);
    expect(states.size).toBe(4);
    expect(states.get('S-0')).toBeDefined();
    expect(states.get('S-9')).toBeDefined();
  });
});

describe('stream states (property)', () => {
  it('keeps the buffered totals equal to the events pending, with every pending event at or past the write position', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        stream: fc.integer({ min: 0, max: 2 }),
        from: fc.nat(20),
        count: fc.integer({ min: 0, max: 5 }),
      }),
      fc.record({
        kind: fc.constant('handle' as const),
        stream: fc.integer({ min: 0, max: 2 }),
        count: fc.integer({ min: 1, max: 4 }),
      }),
      fc.record({ kind: fc.constant('clear' as const), stream: fc.integer({ min: 0, max: 2 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const states = new StreamStates();
        for (const s of [0, 1, 2]) states.stateOf(`S-${s}`).writePosition = 0;
        for (const o of ops) {
          const state = states.stateOf(`S-${o.stream}`);
          if (o.kind === 'add') states.add(state, span(state.stream, o.from, o.count), 0);
          else if (o.kind === 'clear') states.clearWork(state);
          else if (states.isReady(state)) {
            const first = state.pending[0]!;
            state.writePosition += Math.min(o.count, first.events.length);
            states.dropHandled(state, state.writePosition);
          }
          let total = 0;
          for (const s of states.values()) {
            expect(s.buffered).toBe(StreamSpan.count(s.pending));
            for (const p of s.pending) expect(Number(p.index)).toBeGreaterThanOrEqual(s.writePosition);
            total += s.buffered;
          }
          expect(states.buffered).toBe(total);
        }
      }),
    );
  });
});
