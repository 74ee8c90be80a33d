import type { Container } from '@azure/cosmos';
import { cosmosDeadLetters } from '../streams/index.ts';
import type { LeaseStatus, ProblemStream, ProcessorStatus } from './dashboard-model.ts';
import { sampleLeaseStatus } from './lease-status.ts';

/**
 * A processor that runs elsewhere (a Function App, a container), seen only through what it stores: its leases and
 * checkpoints, its lag behind the change feed and its parked streams. Handled counts and failing streams live in the
 * running process, so they are not known here.
 */
export interface WatchedProcessor {
  readonly name: string;
  sample(now: number): Promise<void>;
  status(): ProcessorStatus;
  problems(): Promise<{ failing: ProblemStream[]; stalled: ProblemStream[]; parked: ProblemStream[] }>;
}

/** The processors that have leases in `leases`, by name. */
export async function processorsWithLeases(leases: Container): Promise<string[]> {
  const { resources } = await leases.items.query<{ processor?: unknown }>('SELECT c.processor FROM c').fetchAll();
  const names = new Set<string>();
  for (const { processor } of resources) if (typeof processor === 'string') names.add(processor);
  return [...names].sort();
}

export function watchProcessor(
  name: string,
  containers: { readonly events: Container; readonly leases: Container; readonly deadLetters: Container },
): WatchedProcessor {
  const letters = cosmosDeadLetters(containers.deadLetters);
  let leases: LeaseStatus[] = [];
  let parked: ProblemStream[] = [];
  return {
    name,
    async sample(now) {
      const [leaseRows, parkedLetters] = await Promise.all([
        sampleLeaseStatus(name, containers, now),
        letters.list(name),
      ]);
      parked = parkedLetters.map((letter) => ({
        processor: name,
        stream: letter.stream,
        since: letter.parkedAt,
        error: `${letter.error.name}: ${letter.error.message}`,
        attempts: letter.attempts,
      }));
      leases = leaseRows;
    },
    status() {
      return {
        name,
        kind: 'processor',
        leases: leases.map((lease) => ({ ...lease })),
        lag: leases.reduce((sum, lease) => sum + (lease.lag ?? 0), 0),
        eventsHandled: 0,
        eventsPerSecond: 0,
        latencyP95Ms: undefined,
        observedOnly: true,
      };
    },
    // as of the last sample: the page asks every second, the dead letters are read once per sample
    async problems() {
      return { failing: [], stalled: [], parked: parked.slice() };
    },
  };
}
