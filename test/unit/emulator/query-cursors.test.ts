import { describe, expect, it } from 'vitest';
import { QueryCursors } from '../../../src/emulator/query-cursors.ts';

const rows = Array.from({ length: 25 }, (_, i) => i);

describe('query cursors', () => {
  it('run a query once and page through its result, losing and repeating nothing', () => {
    const cursors = new QueryCursors();
    let runs = 0;
    const run = () => {
      runs++;
      return rows;
    };
    const seen: unknown[] = [];
    let continuation: string | undefined;
    do {
      const page = cursors.page('q', continuation, 10, run);
      seen.push(...page.results);
      continuation = page.continuation;
    } while (continuation !== undefined);
    expect(seen).toEqual(rows);
    expect(runs).toBe(1);
    expect(cursors.size).toBe(0);
  });

  it('keep at most 64 open; a token whose cursor was evicted runs the query again and continues at its offset', () => {
    const cursors = new QueryCursors();
    const first = cursors.page('q0', undefined, 10, () => rows);
    for (let i = 1; i < 70; i++) cursors.page(`q${i}`, undefined, 10, () => rows);
    expect(cursors.size).toBe(64);
    const resumed = cursors.page('q0', first.continuation, 10, () => rows);
    expect(resumed.ran).toBe(true);
    expect(resumed.results).toEqual(rows.slice(10, 20));
  });

  it('do not serve one query the cursor of another', () => {
    const cursors = new QueryCursors();
    const first = cursors.page('q', undefined, 10, () => rows);
    const other = cursors.page('other', first.continuation, 10, () => ['x', 'y', 'z', ...rows]);
    expect(other.ran).toBe(true);
    expect(other.results).toEqual(rows.slice(7, 17));
  });

  it('refuse a continuation that is not theirs with 400', () => {
    expect(() => new QueryCursors().page('q', 'not-a-token', 10, () => rows)).toThrow(/continuation token/);
  });
});
