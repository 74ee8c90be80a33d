import { median } from './result.ts';

/** Rates (or any figure) from several interleaved rounds of Tributary and its baseline doing the same work. */
export interface SideBySide {
  readonly tributary: number;
  readonly baseline: number;
  readonly tributaryRuns: readonly number[];
  readonly baselineRuns: readonly number[];
}

/**
 * Runs Tributary and the baseline in alternating order, round after round, in this process, and keeps the median
 * of each side. Alternating which one goes first keeps warm-up and GC drift from favouring either side.
 */
export async function sideBySide(
  rounds: number,
  tributary: (round: number) => Promise<number>,
  baseline: (round: number) => Promise<number>,
): Promise<SideBySide> {
  const tributaryRuns: number[] = [];
  const baselineRuns: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      tributaryRuns.push(await tributary(round));
      baselineRuns.push(await baseline(round));
    } else {
      baselineRuns.push(await baseline(round));
      tributaryRuns.push(await tributary(round));
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
