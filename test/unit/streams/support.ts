import type { StreamSpan, TimelineEvent } from '../../../src/core/index.ts';
import { eventDocuments } from '../../../src/streams/event-documents.ts';
import type { StreamHandler } from '../../../src/streams/handler.ts';

export function event(index: bigint | number, type = 'Happened'): TimelineEvent {
  return {
    index: BigInt(index),
    type,
    data: { n: Number(index) },
    meta: undefined,
    timestamp: new Date(Date.UTC(2026, 0, 1)),
  };
}

/** `count` events of `stream` from version `from` */
export function span(stream: string, from: number, count: number): StreamSpan {
  return { stream, index: BigInt(from), events: Array.from({ length: count }, (_, offset) => event(from + offset)) };
}

/** a tip/batch-shaped document for the simple reader below */
export function doc(stream: string, from: number, count: number): Record<string, unknown> {
  return {
    id: String(from),
    p: stream,
    i: from,
    n: from + count,
    e: Array.from({ length: count }, () => ({ c: 'Happened' })),
  };
}

/** A stand-in for the store's `spanFromDocument`: undefined without `p`/`i`/`e`, throws when `e` is not an array. */
export function readSpan(document: Record<string, unknown>): StreamSpan | undefined {
  if (!('p' in document) && !('i' in document) && !('e' in document)) return undefined;
  if (!Array.isArray(document.e) || typeof document.p !== 'string' || typeof document.i !== 'number') {
    throw new Error(`document ${String(document.id)} is malformed`);
  }
  return span(document.p, document.i, document.e.length);
}

/** The event-document reader around `readSpan`. */
export const readDocument = eventDocuments(readSpan);

/** Records the versions each stream was handed, in order. */
export function recorder(then: StreamHandler = async () => undefined) {
  const seen = new Map<string, bigint[]>();
  const calls: StreamSpan[] = [];
  const handle: StreamHandler = (given) => {
    calls.push(given);
    const versions = seen.get(given.stream) ?? [];
    versions.push(...given.events.map((e) => e.index));
    seen.set(given.stream, versions);
    return then(given);
  };
  const versionsOf = (stream: string) => (seen.get(stream) ?? []).map(Number);
  return { handle, seen, calls, versionsOf };
}

/** A promise with its resolve exposed, to hold a handler until the test lets it go. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** whether a promise has settled, checked after pending microtasks and immediate callbacks ran */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}
