/**
 * One benchmark figure. `value` is what Tributary achieved (null when the measurement could not be made — then
 * `pass` is false and `note` says why); `baseline` is what the plain-SDK baseline achieved on the same work in the
 * same run; `ratio` = value / baseline. `target` with `comparison` states the goal; `pass` whether it was met.
 */
export interface BenchResult {
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly baseline?: number;
  readonly ratio?: number;
  readonly target?: number;
  /** how `target` is compared: results named `*.ratio` are judged by `ratio`, the others by `value` */
  readonly comparison?: '<=' | '>=';
  readonly pass?: boolean;
  readonly note?: string;
}

/** The goal of a named result, as stated in issue 7. */
export interface Target {
  readonly target: number;
  readonly comparison: '<=' | '>=';
}

export const atMost = (target: number): Target => ({ target, comparison: '<=' });
export const atLeast = (target: number): Target => ({ target, comparison: '>=' });

const meets = (figure: number, goal: Target): boolean =>
  goal.comparison === '<=' ? figure <= goal.target : figure >= goal.target;

/** A measured figure, judged against its goal when it has one. */
export function measured(
  name: string,
  value: number,
  unit: string,
  options: { goal?: Target; baseline?: number; note?: string } = {},
): BenchResult {
  const { goal, baseline, note } = options;
  const ratio = baseline !== undefined && baseline !== 0 ? round(value / baseline) : undefined;
  const checked = name.endsWith('.ratio') ? ratio : value;
  return {
    name,
    value: round(value),
    unit,
    ...(baseline !== undefined ? { baseline: round(baseline) } : {}),
    ...(ratio !== undefined ? { ratio } : {}),
    ...(goal
      ? { target: goal.target, comparison: goal.comparison, pass: checked !== undefined && meets(checked, goal) }
      : {}),
    ...(note ? { note } : {}),
  };
}

/** A measurement that could not be made: no value is invented, it fails with the reason. */
export function notMeasured(name: string, unit: string, reason: string, goal?: Target): BenchResult {
  return {
    name,
    value: null,
    unit,
    ...(goal ? { target: goal.target, comparison: goal.comparison } : {}),
    pass: false,
    note: `not measured: ${reason}`,
  };
}

export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  const magnitude = Math.abs(x);
  const digits = magnitude >= 100 ? 1 : magnitude >= 1 ? 3 : 5;
  return Number(x.toFixed(digits));
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no samples');
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) throw new Error('percentile of no samples');
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
