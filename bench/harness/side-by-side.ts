import { median } from './result.ts';

/** Rates (or any figure) from several interleaved rounds of Tributary and its baseline doing the same work. */
export interface SideBySide {
  readonly tributary: number;
  readonly baseline: number;
  readonly tributaryRuns: readonly number[];
  readonly baselineRuns: readonly number[];
}

/**
 * A young-generation collection (a scavenge), so that a measured run does not start by paying for the garbage of
 * the run before it (`npm run bench` starts Node with `--expose-gc`; without it this does nothing). Without it, the
 * large live data of a bench made collections phase-lock with the rounds: in some processes one side paid for
 * every one of them (`scheduler.documents.ratio` read 0.37–0.46 in five processes of six, 0.92–0.97 in six of six
 * with it). Not a full collection: V8's forced full collection shrinks the young generation and drops compiled
 * code, so every run after one started cold, three times slower on both sides.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc?.({ type: 'minor' });
}

/** Whether `collectGarbage` collects: false when Node was started without `--expose-gc`. */
export const collectsGarbage = (): boolean => typeof (globalThis as { gc?: unknown }).gc === 'function';

/**
 * Runs Tributary and the baseline in alternating order, round after round, in this process, and keeps the median
 * of each side. Alternating which one goes first keeps warm-up drift from favouring either side; a young-generation
 * collection before each run keeps one side from paying for the other's garbage.
 */
export async function sideBySide(
  rounds: number,
  tributary: (round: number) => Promise<number>,
  baseline: (round: number) => Promise<number>,
): Promise<SideBySide> {
  const tributaryRuns: number[] = [];
  const baselineRuns: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const runTributary = async () => {
      collectGarbage();
      tributaryRuns.push(await tributary(round));
    };
    const runBaseline = async () => {
      collectGarbage();
      baselineRuns.push(await baseline(round));
    };
    if (round % 2 === 0) {
      await runTributary();
      await runBaseline();
    } else {
      await runBaseline();
      await runTributary();
    }
  }
  return { tributary: median(tributaryRuns), baseline: median(baselineRuns), tributaryRuns, baselineRuns };
}

/** Per-second rate of `count` things done in the time `work` takes. */
export async function ratePerSecond(count: number, work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  return count / seconds;
}
