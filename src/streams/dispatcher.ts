import type { StreamSpan as Span } from '../core/index.ts';
import type { HandlerOutcome, StreamHandler } from './handler.ts';
import { callHandlerInSpan } from './handler-span.ts';
import type { StreamState } from './stream-state.ts';

export interface DispatchLimits {
  /** handlers running at the same time, one per stream at most */
  readonly maxConcurrentStreams: number;
  /** the most events one handler call gets */
  readonly maxEventsPerSpan: number;
  /** the scheduler's name, naming its handler spans (`process <name>`) */
  readonly name?: string;
}

const anonymous = { name: 'handler', spanName: 'process handler' };

/**
 * Calls the handler for one stream's span, and reports the outcome to the stream (`onDone`, or `onFail` for a
 * throw or a rejection). The one place a handler is invoked.
 */
export function invokeHandler(
  handle: StreamHandler,
  state: StreamState,
  span: Span,
  scheduler: { readonly name: string; readonly spanName: string } = anonymous,
): void {
  let result: Promise<HandlerOutcome | undefined>;
  try {
    result = callHandlerInSpan(scheduler.spanName, scheduler.name, handle, span);
  } catch (error) {
    result = Promise.reject(error);
  }
  result.then(
    (outcome) => state.onDone(outcome),
    (error: unknown) => state.onFail(error),
  );
}

/**
 * Hands ready streams to the handler, first come first served, while fewer than `maxConcurrentStreams` run. A stream
 * is queued once (its phase says so); one no longer ready when its turn comes goes back to idle.
 */
export class Dispatcher {
  /** handlers running */
  active = 0;
  private ready: StreamState[] = [];
  private head = 0;
  private readonly scheduler: { readonly name: string; readonly spanName: string };

  constructor(
    private readonly handle: StreamHandler,
    private readonly limits: DispatchLimits,
    private readonly isReady: (state: StreamState) => boolean,
  ) {
    const name = limits.name ?? anonymous.name;
    this.scheduler = { name, spanName: `process ${name}` };
  }

  /** no handler running and none queued */
  get idle(): boolean {
    return this.active === 0 && this.head === this.ready.length;
  }

  enqueue(state: StreamState): void {
    state.phase = 'queued';
    this.ready.push(state);
  }

  /** Starts handlers for queued streams while slots are free. */
  pump(): void {
    const ready = this.ready;
    while (this.active < this.limits.maxConcurrentStreams && this.head < ready.length) {
      const state = ready[this.head++]!;
      if (state.phase !== 'queued') continue;
      if (!this.isReady(state)) {
        state.phase = 'idle';
        continue;
      }
      this.dispatch(state);
    }
    if (this.head === ready.length) {
      ready.length = 0;
      this.head = 0;
    } else if (this.head > 4096) {
      this.ready = ready.slice(this.head);
      this.head = 0;
    }
  }

  /** A handler call ended: its slot is free and the stream idle. @returns how long the call took, in ms */
  finish(state: StreamState, now: number): number {
    this.active--;
    state.phase = 'idle';
    return now - state.startedAt;
  }

  private dispatch(state: StreamState): void {
    const first = state.pending[0]!;
    const max = this.limits.maxEventsPerSpan;
    const span =
      first.events.length <= max
        ? first
        : { stream: first.stream, index: first.index, events: first.events.slice(0, max) };
    // The first span of a stream we know nothing about sets its base: the processor may have started mid-stream.
    if (state.writePosition < 0) state.writePosition = Number(span.index);
    state.phase = 'active';
    state.inFlight = span;
    if (state.pending.length === 1) state.openTail = false;
    this.active++;
    state.startedAt = performance.now();
    invokeHandler(this.handle, state, span, this.scheduler);
  }
}
