import type { Container } from '@azure/cosmos';
import type { TimelineEvent } from '../core/index.ts';
import { documentsInRange } from './requests.ts';
import { InvalidStoreOptions } from './settings.ts';
import { eventsOf } from './span.ts';

/** Documents (tips or batches, each up to the tip's event limit) or tips read per query request, unless told. */
export const defaultPageSize = 100;

/** How many documents each query request of a read returns. */
export interface Paging {
  /**
   * documents per query request (default 100): a read follows the query's continuation page by page, so memory and
   * response size stay bounded however long the stream is. Smaller pages mean more requests.
   */
  readonly pageSize?: number;
}

export interface ReadRange extends Paging {
  /** first version to read (inclusive); default 0 */
  readonly fromVersion?: bigint;
  /** last version to read (exclusive); default: the end */
  readonly toVersion?: bigint;
  /** default forward (oldest first) */
  readonly direction?: 'forward' | 'backward';
}

/** The page size of `paging`, checked. */
export function pageSizeOf(paging: Paging, where: string): number {
  const pageSize = paging.pageSize ?? defaultPageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new InvalidStoreOptions(where, [`pageSize must be a positive integer, got ${pageSize}`]);
  }
  return pageSize;
}

/**
 * A stream's stored events in a version range (bodies decompressed), read with one partition-scoped query a page
 * at a time as the caller consumes them: iterating a 100,000-event stream holds one page, not the stream.
 */
export async function* streamEvents(
  container: Container,
  stream: string,
  range: ReadRange,
): AsyncGenerator<TimelineEvent> {
  const from = range.fromVersion ?? 0n;
  const to = range.toVersion ?? BigInt(Number.MAX_SAFE_INTEGER);
  const direction = range.direction ?? 'forward';
  const pageSize = pageSizeOf(range, `reading stream ${stream}`);
  const documents = documentsInRange(container, stream, { from: Number(from), to: Number(to), direction }, pageSize);
  for await (const document of documents) {
    const inRange = eventsOf(document).filter((event) => event.index >= from && event.index < to);
    yield* direction === 'forward' ? inRange : inRange.reverse();
  }
}

/** A stream's stored events in a version range, collected (see `streamEvents`). */
export async function readStreamEvents(
  container: Container,
  stream: string,
  range: ReadRange,
): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  for await (const event of streamEvents(container, stream, range)) events.push(event);
  return events;
}
