import type { StreamSpan as Span, TimelineEvent } from '../core/index.ts';
import type { MalformedDocumentRecord } from './dead-letter-store.ts';
import type { StreamBase } from './range-starts.ts';
import { StreamSpan } from './stream-span.ts';
import { type StreamOwner, StreamState } from './stream-state.ts';

/**
 * The streams the scheduler knows, and their pending events: merging spans in, dropping what was handled, open gaps
 * and streams held by a malformed document. Keeps the totals over all streams so that nothing needs to scan them.
 */
export class StreamStates {
  private readonly streams = new Map<string, StreamState>();
  /** events pending over all streams */
  buffered = 0;
  /** streams whose first pending span starts after their write position */
  openGaps = 0;
  /** streams holding a malformed document */
  heldByMalformed = 0;
  /** events dropped because they were at or below their stream's write position */
  duplicates = 0;
  /** versions passed over by streams that never got their first events (see `skipStartGaps`) */
  skippedAtStart = 0;
  // Streams assumed to start at 0 (their range is read from the beginning) whose first events have not come yet.
  private readonly startGaps = new Set<StreamState>();

  /** `owner` hears how each stream's handler calls end, and when its delays run out */
  constructor(private readonly owner?: StreamOwner) {}

  get size(): number {
    return this.streams.size;
  }

  get(stream: string): StreamState | undefined {
    return this.streams.get(stream);
  }

  values(): IterableIterator<StreamState> {
    return this.streams.values();
  }

  stateOf(stream: string): StreamState {
    let state = this.streams.get(stream);
    if (state === undefined) {
      state = new StreamState(stream, this.owner);
      this.streams.set(stream, state);
    }
    return state;
  }

  /** Sets the write position of a stream the scheduler knows nothing about, from where its lease's range started. */
  place(state: StreamState, base: StreamBase): void {
    if (base.kind === 'handled') state.writePosition = base.position;
    else if (base.kind === 'beginning') {
      state.writePosition = 0;
      state.assumedStart = true;
    }
  }

  /**
   * Merges `given` into the stream's pending spans, less what is below its write position (counted as duplicates).
   * @returns the position the stream must reach to have handled `given`, or -1 if nothing of it was new
   */
  add(state: StreamState, given: Span, now: number): number {
    let span = given;
    let start = Number(given.index);
    const end = start + given.events.length;
    const position = state.writePosition;
    if (position > start) {
      this.duplicates += Math.min(end, position) - start;
      if (end <= position) return -1;
      span = { stream: given.stream, index: BigInt(position), events: given.events.slice(position - start) };
      start = position;
    }
    if (end === start) return -1;
    const pending = state.pending;
    const last = pending[pending.length - 1];
    const lastEnd = last === undefined ? -1 : Number(last.index) + last.events.length;
    if (last === undefined || start > lastEnd) {
      if (last === undefined) state.progressAt = now;
      pending.push(span);
      state.openTail = false;
    } else if (start === lastEnd) {
      // The usual case: the stream's next events. Appending in place saves a copy per page, but only to an array
      // the scheduler made itself and has not handed to a handler (a span a handler holds never changes).
      if (state.openTail) {
        const events = last.events as TimelineEvent[];
        for (const event of span.events) events.push(event);
      } else {
        pending[pending.length - 1] = {
          stream: last.stream,
          index: last.index,
          events: last.events.concat(span.events),
        };
        state.openTail = true;
      }
    } else {
      state.pending = StreamSpan.insert(pending, span);
      state.openTail = false;
      this.recount(state);
      return end;
    }
    state.buffered += end - start;
    this.buffered += end - start;
    return end;
  }

  /** The stream has handled up to `position`: its pending events below it are dropped. */
  dropHandled(state: StreamState, position: number): void {
    const before = state.buffered;
    const only = state.pending[0];
    if (state.pending.length === 1 && only !== undefined && Number(only.index) + only.events.length <= position) {
      state.pending.length = 0;
      state.buffered = 0;
    } else {
      state.pending = StreamSpan.dropListBeforeIndex(state.pending, BigInt(position));
      state.buffered = StreamSpan.count(state.pending);
    }
    this.buffered -= before - state.buffered;
  }

  /** Replaces the stream's pending spans (a replay hands back its dead letter's events). */
  setPending(state: StreamState, spans: Span[]): void {
    state.pending = spans;
    state.openTail = false;
    this.recount(state);
  }

  /** Empties the stream of its pending events and malformed documents (they went to its dead letter). */
  clearWork(state: StreamState): void {
    this.buffered -= state.buffered;
    state.buffered = 0;
    state.pending = [];
    if (state.malformed.length > 0) this.heldByMalformed--;
    state.malformed = [];
    this.trackGap(state, 0);
  }

  holdMalformed(state: StreamState, record: MalformedDocumentRecord): void {
    if (state.malformed.length === 0) this.heldByMalformed++;
    state.malformed = [...state.malformed, record];
  }

  /** Whether the stream's next events are pending and nothing holds it. */
  isReady(state: StreamState): boolean {
    const first = state.pending[0];
    if (first === undefined || state.malformed.length > 0) return false;
    return state.writePosition < 0 || Number(first.index) === state.writePosition;
  }

  /** Opens or closes the stream's gap, as its pending events say; `now` is when an opened gap started. */
  trackGap(state: StreamState, now: number): void {
    const hasGap = state.pending.length > 0 && state.malformed.length === 0 && !this.isReady(state);
    if (hasGap && state.gapSince === 0) {
      state.gapSince = now;
      this.openGaps++;
      if (state.assumedStart) this.startGaps.add(state);
    } else if (!hasGap && state.gapSince !== 0) this.closeGap(state);
  }

  closeGap(state: StreamState): void {
    if (state.gapSince === 0) return;
    state.gapSince = 0;
    this.openGaps--;
    this.startGaps.delete(state);
  }

  /**
   * The lease's range has been read up to the head of the feed: a stream still waiting for its first versions will
   * not get them from the feed (the documents were deleted, or the scheduler forgot the stream after handling them).
   * It starts at the first version it has; the versions passed over are counted.
   * @returns the streams moved, for the caller to route
   */
  skipStartGaps(leaseToken: string): StreamState[] {
    const moved: StreamState[] = [];
    for (const state of this.startGaps) {
      const first = state.pending[0];
      if (state.leaseToken !== leaseToken || state.phase !== 'idle' || first === undefined) continue;
      this.skippedAtStart += Number(first.index) - state.writePosition;
      state.writePosition = Number(first.index);
      state.assumedStart = false;
      moved.push(state);
    }
    return moved;
  }

  /** Forgets the stream and what it held (its lease was revoked). The caller cancels its timer. */
  remove(state: StreamState): void {
    this.buffered -= state.buffered;
    if (state.malformed.length > 0) this.heldByMalformed--;
    if (state.gapSince !== 0) this.openGaps--;
    this.startGaps.delete(state);
    state.phase = 'removed';
    this.streams.delete(state.stream);
  }

  /** Forgets idle streams, oldest first, down to 90% of `limit`: memory stays bounded. */
  forgetIdle(limit: number): void {
    let excess = this.streams.size - Math.floor(limit * 0.9);
    for (const state of this.streams.values()) {
      if (excess <= 0) break;
      const idle =
        state.phase === 'idle' &&
        state.pending.length === 0 &&
        state.pageClaims.length === 0 &&
        state.malformed.length === 0 &&
        state.lastError === undefined;
      if (!idle) continue;
      this.streams.delete(state.stream);
      state.phase = 'removed';
      excess--;
    }
  }

  private recount(state: StreamState): void {
    const before = state.buffered;
    state.buffered = StreamSpan.count(state.pending);
    this.buffered += state.buffered - before;
  }
}
