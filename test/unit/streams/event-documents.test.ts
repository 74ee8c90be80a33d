import { describe, expect, it } from 'vitest';
import { eventDocuments } from '../../../src/streams/event-documents.ts';
import { doc, readSpan } from './support.ts';

describe('the event-document reader', () => {
  it('reads spans, counts other writers’ documents, keeps broken ones for their stream, dates the page by _ts', () => {
    const reader = eventDocuments(readSpan);
    const broken = { id: '1', p: 'B', i: 0, e: 'not events', _ts: 100 };
    const contents = reader.readPage([
      { ...doc('A', 0, 2), _ts: 200 },
      { id: 'settings', p: 'config', theme: 'dark', _ts: 50 },
      broken,
      { id: '2', i: 0, e: 'x' },
    ]);
    expect(contents.spans.map((s) => [s.stream, s.events.length])).toEqual([['A', 2]]);
    expect(contents.foreign).toBe(1);
    expect(contents.malformed.map((m) => m.stream)).toEqual(['B', '(unknown stream)']);
    expect(contents.malformed[0]?.record).toEqual({
      document: broken,
      error: { name: 'Error', message: 'document 1 is malformed' },
    });
    expect(contents.oldestChangeAt).toBe(50_000);
  });

  it('has no date for a page whose documents carry no _ts', () => {
    expect(eventDocuments(readSpan).readPage([doc('A', 0, 1)]).oldestChangeAt).toBeUndefined();
  });
});
