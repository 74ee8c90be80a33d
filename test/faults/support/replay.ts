import { ChangeFeedStartFrom, type Container } from '@azure/cosmos';
import { decodeBody } from '../../../src/codec/index.ts';

/**
 * The from-scratch replay every fault scenario checks against. It reads the events container's documents directly
 * (the change feed of every range from the beginning: each document's latest version), independently of the store
 * and the processor under test, and rebuilds every stream from its tip and batch documents.
 */
export interface ReplayedEvent {
  readonly index: number;
  readonly type: string;
  readonly data: unknown;
}

export interface Replay {
  /** every stream's events in version order */
  readonly streams: ReadonlyMap<string, readonly ReplayedEvent[]>;
  readonly eventCount: number;
  /** streams whose versions are not contiguous from 0, or whose tip `n` disagrees with the events found */
  readonly broken: readonly string[];
}

export async function readAllDocuments(container: Container): Promise<Record<string, unknown>[]> {
  const documents: Record<string, unknown>[] = [];
  for (const range of await container.getFeedRanges()) {
    const iterator = container.items.getChangeFeedIterator<Record<string, unknown>>({
      changeFeedStartFrom: ChangeFeedStartFrom.Beginning(range),
      maxItemCount: 1000,
    });
    for (;;) {
      const page = await iterator.readNext();
      if (page.statusCode === 304 || page.result.length === 0) break;
      documents.push(...page.result);
    }
  }
  return documents;
}

export async function replayEvents(container: Container): Promise<Replay> {
  const byStream = new Map<string, Map<number, ReplayedEvent>>();
  const tipNext = new Map<string, number>();
  for (const doc of await readAllDocuments(container)) {
    const { p, i, e } = doc;
    if (typeof p !== 'string' || typeof i !== 'number' || !Array.isArray(e)) continue;
    if (doc.id === '-1' && typeof doc.n === 'number') tipNext.set(p, doc.n);
    let events = byStream.get(p);
    if (!events) {
      events = new Map();
      byStream.set(p, events);
    }
    e.forEach((raw: Record<string, unknown>, offset: number) => {
      const index = i + offset;
      events.set(index, { index, type: String(raw.c), data: decodeBody(raw.d, raw.D) });
    });
  }
  const streams = new Map<string, ReplayedEvent[]>();
  const broken: string[] = [];
  let eventCount = 0;
  for (const [stream, events] of byStream) {
    const ordered = [...events.values()].sort((a, b) => a.index - b.index);
    const contiguous = ordered.every((event, position) => event.index === position);
    const next = tipNext.get(stream);
    if (!contiguous || (next !== undefined && next !== ordered.length)) broken.push(stream);
    streams.set(stream, ordered);
    eventCount += ordered.length;
  }
  return { streams, eventCount, broken };
}
