import { jsonBytes } from '../codec/encoding.ts';
import type { DeadLetter, DeadLetterEvent } from './dead-letter-store.ts';
import { DeadLetterTooLarge } from './errors.ts';

/**
 * Cosmos DB documents are at most 2 MB, and a parked stream keeps gaining events. A dead letter that fits stays one
 * document (`DeadLetterHead` with its events, `parts: 0`). A bigger one is stored as a head without events
 * (`parts: n`) and n part documents holding the events in version order.
 *
 * Writes cannot be atomic across partitions, so the layout is made to survive a crash between them: parts are
 * written before the head, and events are cut into parts greedily from the first one, so that a letter that has
 * only grown keeps the same part boundaries. Joining takes the union of the head's and the parts' events by version.
 * A part is tagged with its letter's `parkedAt`, so parts left behind by an earlier parking of the same stream (a
 * removal interrupted half-way) are never joined to a later one.
 */
export interface DeadLetterHead extends DeadLetter {
  /** how many part documents hold the events; 0 when the events are in the head (absent in letters from before parts) */
  readonly parts?: number;
}

export interface DeadLetterPart {
  readonly id: string;
  /** the id of the dead letter the part belongs to */
  readonly of: string;
  readonly processor: string;
  readonly stream: string;
  readonly parkedAt: string;
  /** 1-based position among the letter's parts */
  readonly part: number;
  readonly events: readonly DeadLetterEvent[];
}

/** What one letter is stored as. */
export interface DeadLetterDocuments {
  readonly head: DeadLetterHead;
  readonly parts: readonly DeadLetterPart[];
}

/** Room kept in a head for its `"parts":n,` field. */
const partsFieldBytes = 16;

/** Room kept in each part for its own fields (ids, stream name) around the events. */
const partOverheadBytes = 1_024;

/**
 * The id of a letter's part `k`. Letter ids are `<encodeURIComponent(processor)>:<stream>`; a part id starts with
 * `$`, which `encodeURIComponent` always escapes, so it can never be the id of a letter.
 */
export function partId(letterId: string, part: number): string {
  return `$${part}:${letterId}`;
}

/** Lays `letter` out as documents of at most `budgetBytes` of JSON each. */
export function splitDeadLetter(letter: DeadLetter, budgetBytes: number): DeadLetterDocuments {
  // `parts: 0` says so explicitly: parts left over from a bigger layout of the same letter are then never joined
  if (jsonBytes(letter) + partsFieldBytes <= budgetBytes) return { head: { ...letter, parts: 0 }, parts: [] };
  const head: DeadLetterHead = { ...letter, events: [] };
  const headBytes = jsonBytes(head) + partsFieldBytes;
  if (headBytes > budgetBytes) {
    const what = 'the letter without its events (error, malformed documents)';
    throw new DeadLetterTooLarge(letter.id, what, headBytes, budgetBytes);
  }
  const room = budgetBytes - partOverheadBytes - jsonBytes(letter.stream) - 2 * jsonBytes(letter.id);
  const parts: DeadLetterPart[] = [];
  let events: DeadLetterEvent[] = [];
  let used = 0;
  const close = () => {
    const part = parts.length + 1;
    parts.push({
      id: partId(letter.id, part),
      of: letter.id,
      processor: letter.processor,
      stream: letter.stream,
      parkedAt: letter.parkedAt,
      part,
      events,
    });
    events = [];
    used = 0;
  };
  for (const event of letter.events) {
    const bytes = jsonBytes(event) + 1;
    if (bytes > room) throw new DeadLetterTooLarge(letter.id, `the event at version ${event.index}`, bytes, room);
    if (used + bytes > room) close();
    events.push(event);
    used += bytes;
  }
  if (events.length > 0) close();
  return { head: { ...head, parts: parts.length }, parts };
}

/**
 * The letter a head and its parts hold: the head's fields, and the union of the head's and the matching parts'
 * events in version order (parts of another parking of the stream, or beyond the head's count, are ignored).
 */
export function joinDeadLetter(head: DeadLetterHead, parts: readonly DeadLetterPart[]): DeadLetter {
  const { parts: count, ...letter } = head;
  const byIndex = new Map<number, DeadLetterEvent>();
  for (const event of head.events) byIndex.set(event.index, event);
  for (const part of parts) {
    if (part.of !== head.id || part.parkedAt !== head.parkedAt) continue;
    if (count !== undefined && part.part > count) continue;
    for (const event of part.events) if (!byIndex.has(event.index)) byIndex.set(event.index, event);
  }
  const events = [...byIndex.values()].sort((a, b) => a.index - b.index);
  return { ...letter, events };
}

/** Whether a document of the dead-letters container is a part (else it is a letter's head). */
export function isDeadLetterPart(document: object): document is DeadLetterPart {
  return 'of' in document && typeof (document as { of: unknown }).of === 'string';
}
