import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDeadLetterPart, joinDeadLetter, splitDeadLetter } from '../../../src/streams/dead-letter-parts.ts';
import { DeadLetter, type DeadLetterEvent, DeadLetterTooLarge } from '../../../src/streams/index.ts';

const parkedAt = '2026-11-23T10:00:00.000Z';

function letterOf(events: readonly DeadLetterEvent[], at = parkedAt): DeadLetter {
  return {
    id: DeadLetter.id('billing', 'Account-7'),
    stream: 'Account-7',
    processor: 'billing',
    error: { name: 'Error', message: 'the view is corrupt' },
    reason: 'failed',
    events,
    malformed: [],
    attempts: 5,
    parkedAt: at,
  };
}

function eventsOf(count: number, text = 'x'.repeat(100), from = 0): DeadLetterEvent[] {
  return Array.from({ length: count }, (_, k) => ({
    index: from + k,
    type: 'Deposited',
    data: { text },
    meta: null,
    timestamp: parkedAt,
  }));
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('dead letters laid out as documents', () => {
  it('keeps a letter that fits in one document, saying it has no parts', () => {
    const letter = letterOf(eventsOf(3));
    const { head, parts } = splitDeadLetter(letter, 10_000);
    expect(parts).toEqual([]);
    expect(head).toEqual({ ...letter, parts: 0 });
    expect(joinDeadLetter(head, parts)).toEqual(letter);
  });

  it('spreads a bigger letter over parts within the budget, and joins them back in version order', () => {
    const letter = letterOf(eventsOf(100));
    const { head, parts } = splitDeadLetter(letter, 3_000);
    expect(head.events).toEqual([]);
    expect(head.parts).toBe(parts.length);
    expect(parts.length).toBeGreaterThan(3);
    for (const document of [head, ...parts]) expect(bytes(document)).toBeLessThanOrEqual(3_000);
    expect(parts.every(isDeadLetterPart)).toBe(true);
    expect(isDeadLetterPart(head)).toBe(false);
    expect(new Set(parts.map((part) => part.id)).size).toBe(parts.length);
    expect(parts.map((part) => part.id)).not.toContain(head.id);
    expect(joinDeadLetter(head, [...parts].reverse())).toEqual(letter);
  });

  it('keeps the part boundaries of a letter that has only grown', () => {
    const before = splitDeadLetter(letterOf(eventsOf(60)), 3_000);
    const after = splitDeadLetter(letterOf(eventsOf(90)), 3_000);
    const full = before.parts.slice(0, -1);
    expect(after.parts.slice(0, full.length)).toEqual(full);
  });

  it('loses nothing when a write stopped after the parts and before the head', () => {
    const old = letterOf(eventsOf(60));
    const grown = letterOf(eventsOf(90));
    const written = splitDeadLetter(old, 3_000);
    const interrupted = splitDeadLetter(grown, 3_000);
    // the old head is still there, with every new part written: every old event, in order, and possibly some of the
    // new ones (their pages were not released: the write is retried)
    const joined = joinDeadLetter(written.head, interrupted.parts).events.map((event) => event.index);
    expect(joined.slice(0, old.events.length)).toEqual(old.events.map((event) => event.index));
    expect(joined).toEqual(grown.events.slice(0, joined.length).map((event) => event.index));
    // and an old one-document letter whose new parts were written
    const inline = splitDeadLetter(letterOf(eventsOf(5)), 3_000);
    expect(joinDeadLetter(inline.head, interrupted.parts)).toEqual(letterOf(eventsOf(5)));
  });

  it('never joins parts left behind by an earlier parking of the stream', () => {
    const earlier = splitDeadLetter(letterOf(eventsOf(90), '2026-11-01T00:00:00.000Z'), 3_000);
    const now = splitDeadLetter(letterOf(eventsOf(90, 'y'.repeat(100), 500)), 3_000);
    const joined = joinDeadLetter(now.head, [...earlier.parts, ...now.parts]);
    expect(joined.events.map((event) => event.index)).toEqual(eventsOf(90, '', 500).map((event) => event.index));
  });

  it('refuses an event that does not fit a document on its own, with a typed error', () => {
    const letter = letterOf([...eventsOf(2), ...eventsOf(1, 'z'.repeat(5_000), 2)]);
    expect(() => splitDeadLetter(letter, 3_000)).toThrow(DeadLetterTooLarge);
    expect(() => splitDeadLetter(letter, 3_000)).toThrow(/event at version 2 is \d+ bytes/);
  });

  it('joins what it split, whatever the sizes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 80 }),
        fc.integer({ min: 2_000, max: 20_000 }),
        (texts, budget) => {
          const letter = letterOf(texts.map((text, index) => ({ ...eventsOf(1, text, index)[0]! })));
          const { head, parts } = splitDeadLetter(letter, budget);
          for (const document of [head, ...parts]) expect(bytes(document)).toBeLessThanOrEqual(budget);
          expect(joinDeadLetter(head, parts)).toEqual(letter);
        },
      ),
    );
  });
});
