import { randomUUID } from 'node:crypto';
import { badRequest } from './errors.ts';

// Paging a query: its whole result is computed once, on the first page, and kept under a cursor that the
// continuation token names together with the offset of the next page. Later pages are slices. A token whose cursor
// is gone (evicted, or the server restarted) runs the query again and continues at the token's offset.

const MAX_OPEN_CURSORS = 64;
const CURSOR_IDLE_MS = 5 * 60 * 1000;

interface Cursor {
  /** The query, parameters and scope the result belongs to: a token for another query does not reuse it. */
  readonly identity: string;
  readonly results: unknown[];
  touchedAt: number;
}

interface Token {
  cursor: string;
  offset: number;
}

function parseToken(raw: string): Token {
  try {
    const token = JSON.parse(raw) as Partial<Token>;
    if (typeof token.cursor === 'string' && Number.isInteger(token.offset) && (token.offset as number) >= 0) {
      return token as Token;
    }
  } catch {
    // fall through to the refusal
  }
  throw badRequest(`The query continuation token ${raw} is invalid: pass back the x-ms-continuation of the last page.`);
}

export interface QueryPage {
  results: unknown[];
  continuation?: string;
  /** Whether this page ran the query (first page, or a cursor that was gone). */
  ran: boolean;
}

export class QueryCursors {
  private readonly open = new Map<string, Cursor>();

  /** One page of `pageSize` results (all of them when `pageSize` ≤ 0); `run` computes the whole result. */
  page(identity: string, continuation: string | undefined, pageSize: number, run: () => unknown[]): QueryPage {
    const token = continuation === undefined ? undefined : parseToken(continuation);
    const offset = token?.offset ?? 0;
    let id = token?.cursor;
    let cursor = id === undefined ? undefined : this.open.get(id);
    const ran = cursor === undefined || cursor.identity !== identity;
    if (ran) {
      cursor = { identity, results: run(), touchedAt: 0 };
      id = randomUUID();
    }
    const end = pageSize > 0 ? offset + pageSize : cursor!.results.length;
    const results = cursor!.results.slice(offset, end);
    if (end >= cursor!.results.length) {
      this.open.delete(id!);
      return { results, ran };
    }
    cursor!.touchedAt = Date.now();
    this.open.delete(id!);
    this.open.set(id!, cursor!);
    this.evict();
    return { results, continuation: JSON.stringify({ cursor: id, offset: end }), ran };
  }

  get size(): number {
    return this.open.size;
  }

  private evict(): void {
    const now = Date.now();
    for (const [id, cursor] of this.open) {
      if (this.open.size <= MAX_OPEN_CURSORS && now - cursor.touchedAt < CURSOR_IDLE_MS) break;
      this.open.delete(id);
    }
  }
}
