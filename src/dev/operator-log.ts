import type { ProblemStream } from './dashboard-model.ts';
import { scrubSecrets } from './secret-scrub.ts';

/** What the operator log compares from one sample to the next, per processor. */
export interface ProcessorObservation {
  readonly processor: string;
  /** lease owner by feed range */
  readonly owners: Readonly<Record<string, string | null>>;
  readonly failing: readonly ProblemStream[];
  readonly stalled: readonly ProblemStream[];
  readonly parked: readonly ProblemStream[];
}

/** One line of the operator log. */
export type OperatorEvent =
  | {
      readonly event: 'failing' | 'stalled' | 'parked';
      readonly processor: string;
      readonly stream: string;
      readonly error: string | undefined;
    }
  | { readonly event: 'recovered'; readonly processor: string; readonly stream: string; readonly was: string }
  | {
      readonly event: 'lease';
      readonly processor: string;
      readonly range: string;
      readonly from: string | null;
      readonly to: string | null;
    };

const troubles = ['parked', 'failing', 'stalled'] as const;

function troubleOf(observation: ProcessorObservation): Map<string, { state: string; error: string | undefined }> {
  const byStream = new Map<string, { state: string; error: string | undefined }>();
  for (const state of troubles) {
    for (const problem of observation[state]) {
      if (!byStream.has(problem.stream)) byStream.set(problem.stream, { state, error: problem.error });
    }
  }
  return byStream;
}

/**
 * What changed between two observations: streams that began failing, stalled or were parked (the worst state
 * counts), streams that recovered, and leases that changed owner. A processor seen for the first time reports its
 * troubles; its leases are the baseline.
 */
export function operatorEvents(
  previous: readonly ProcessorObservation[],
  next: readonly ProcessorObservation[],
): OperatorEvent[] {
  const events: OperatorEvent[] = [];
  for (const now of next) {
    const before = previous.find((candidate) => candidate.processor === now.processor);
    const was = before === undefined ? new Map() : troubleOf(before);
    const is = troubleOf(now);
    for (const [stream, trouble] of is) {
      if (was.get(stream)?.state === trouble.state) continue;
      events.push({
        event: trouble.state as 'failing' | 'stalled' | 'parked',
        processor: now.processor,
        stream,
        error: trouble.error,
      });
    }
    for (const [stream, trouble] of was) {
      if (!is.has(stream)) events.push({ event: 'recovered', processor: now.processor, stream, was: trouble.state });
    }
    // The first look at a processor is the baseline of its leases: they were taken, not changed.
    if (before === undefined) continue;
    for (const [range, owner] of Object.entries(now.owners)) {
      const from = before.owners[range] ?? null;
      if (from !== owner) events.push({ event: 'lease', processor: now.processor, range, from, to: owner });
    }
  }
  return events;
}

/** A line for the console: JSON (for log collectors) or text for a person at a terminal. Never a secret. */
export function formatOperatorEvent(event: OperatorEvent, at: Date, json: boolean): string {
  const scrubbed =
    'error' in event && event.error !== undefined ? { ...event, error: scrubSecrets(event.error) } : event;
  const level = event.event === 'recovered' || event.event === 'lease' ? 'info' : 'warn';
  if (json) return JSON.stringify({ at: at.toISOString(), level, ...scrubbed });
  const time = at.toISOString().slice(11, 19);
  switch (scrubbed.event) {
    case 'lease':
      return `${time} lease      [${scrubbed.processor}] range ${scrubbed.range}: ${scrubbed.from ?? 'nobody'} → ${scrubbed.to ?? 'nobody'}`;
    case 'recovered':
      return `${time} recovered  [${scrubbed.processor}] ${scrubbed.stream} (was ${scrubbed.was})`;
    default:
      return `${time} ${scrubbed.event.padEnd(10)} [${scrubbed.processor}] ${scrubbed.stream}: ${scrubbed.error ?? 'no progress'}`;
  }
}
