import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The fault suite's tally: every scenario file counts what it did (scenarios run, faults injected, events checked,
 * events lost) and writes it to a directory shared by one `vitest run` (keyed by the vitest process, the parent of
 * every worker). Each file prints the total so far; the file that completes the set prints the final summary.
 */
export interface Tally {
  scenarios: number;
  faults: number;
  eventsChecked: number;
  eventsLost: number;
  /** events handed to a handler more than once (delivery is at least once; see the re-delivery scenarios) */
  eventsRedelivered: number;
}

export const faultsMode: 'full' | 'short' = process.env.TRIBUTARY_FAULTS === 'full' ? 'full' : 'short';

/** `short` in the shortened form that runs under `npm test`, `full` under `npm run test:faults`. */
export function scaled<T>(short: T, full: T): T {
  return faultsMode === 'full' ? full : short;
}

const suiteDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function runDirectory(): string {
  let started = '0';
  try {
    // Field 22 of /proc/<pid>/stat is the process start time: it tells this run from an older one with the same pid.
    const stat = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '0';
  } catch {
    // not Linux: the pid alone keys the run
  }
  return path.join(os.tmpdir(), `tributary-faults-${process.ppid}-${started}`);
}

export interface Ledger {
  scenario(): void;
  faults(count: number): void;
  checked(events: number): void;
  lost(events: number): void;
  redelivered(events: number): void;
  readonly tally: Readonly<Tally>;
  /** Writes this file's tally and prints the run's total (the final summary once every file has reported). */
  flush(): void;
}

export function openLedger(file: string): Ledger {
  const tally: Tally = { scenarios: 0, faults: 0, eventsChecked: 0, eventsLost: 0, eventsRedelivered: 0 };
  return {
    tally,
    scenario: () => {
      tally.scenarios++;
    },
    faults: (count) => {
      tally.faults += count;
    },
    checked: (events) => {
      tally.eventsChecked += events;
    },
    lost: (events) => {
      tally.eventsLost += events;
    },
    redelivered: (events) => {
      tally.eventsRedelivered += events;
    },
    flush: () => {
      const dir = runDirectory();
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${path.basename(file)}.json`), JSON.stringify(tally));
      const reported = readdirSync(dir).filter((f) => f.endsWith('.json'));
      const total = reported
        .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Tally)
        .reduce(add, { scenarios: 0, faults: 0, eventsChecked: 0, eventsLost: 0, eventsRedelivered: 0 });
      const expected = readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).length;
      const label =
        reported.length >= expected
          ? 'fault suite summary'
          : `fault suite so far (${reported.length}/${expected} files)`;
      console.log(`${label} [${faultsMode}]: ${describe(total)}`);
    },
  };
}

export function describe(t: Tally): string {
  return `scenarios run ${t.scenarios}, faults injected ${t.faults}, events checked ${t.eventsChecked}, events lost ${t.eventsLost}, events handed more than once ${t.eventsRedelivered ?? 0}`;
}

function add(a: Tally, b: Tally): Tally {
  return {
    scenarios: a.scenarios + b.scenarios,
    faults: a.faults + b.faults,
    eventsChecked: a.eventsChecked + b.eventsChecked,
    eventsLost: a.eventsLost + b.eventsLost,
    eventsRedelivered: (a.eventsRedelivered ?? 0) + (b.eventsRedelivered ?? 0),
  };
}
