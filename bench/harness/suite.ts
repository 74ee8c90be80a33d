import type { BenchResult, Target } from './result.ts';
import { notMeasured } from './result.ts';
import type { Series } from './series.ts';

/** What a suite may use while it runs. */
export interface BenchContext {
  /** smaller sizes and fewer rounds, for a ~1 minute run */
  readonly quick: boolean;
  /** interleaved rounds per timing ratio */
  readonly rounds: number;
  emit(result: BenchResult): void;
  addSeries(series: Series): void;
  log(message: string): void;
}

/** A result a suite promises to produce; if the suite fails before producing it, it is reported as not measured. */
export interface Promised {
  readonly name: string;
  readonly unit: string;
  readonly goal?: Target;
}

/**
 * A suite: what it promises, and how to load its code. Loading is lazy so that a suite whose module fails to load
 * (a piece of the framework missing or broken) reports its results as not measured instead of stopping the run.
 */
export interface BenchSuite {
  readonly name: string;
  readonly promises: readonly Promised[];
  load(): Promise<{ run(context: BenchContext): Promise<void> }>;
}

/** Runs a suite; whatever it promised but did not emit (because it threw) becomes a failed, unmeasured result. */
export async function runSuite(
  suite: BenchSuite,
  options: { quick: boolean; rounds: number; log: (m: string) => void },
): Promise<{ results: BenchResult[]; series: Series[]; failure?: string }> {
  const results: BenchResult[] = [];
  const series: Series[] = [];
  const context: BenchContext = {
    quick: options.quick,
    rounds: options.rounds,
    emit: (r) => {
      results.push(r);
      options.log(`  ${r.name} = ${r.value ?? '—'} ${r.unit}${r.ratio !== undefined ? ` (ratio ${r.ratio})` : ''}`);
    },
    addSeries: (s) => series.push(s),
    log: (m) => options.log(`  ${m}`),
  };
  let failure: string | undefined;
  try {
    const { run } = await suite.load();
    await run(context);
  } catch (error) {
    failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    options.log(`  suite ${suite.name} failed: ${failure}`);
  }
  for (const promised of suite.promises) {
    if (!results.some((r) => r.name === promised.name)) {
      results.push(notMeasured(promised.name, promised.unit, failure ?? 'the suite did not produce it', promised.goal));
    }
  }
  return { results, series, ...(failure ? { failure } : {}) };
}
