import type { TextSink } from './context.ts';

export interface ProgressSnapshot {
  readonly label: string;
  readonly done: number;
  /** unknown while the work is still being counted */
  readonly total: number | undefined;
  readonly ratePerSecond: number;
  /** what is counted, e.g. `events` or `changes` */
  readonly unit?: string;
  readonly width?: number;
}

const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');

/** One line: `rebuild balances [#########-----------]  45%  450/1,000 events  120/s`. */
export function renderProgress({
  label,
  done,
  total,
  ratePerSecond,
  unit = 'events',
  width = 24,
}: ProgressSnapshot): string {
  const rate = `${formatCount(ratePerSecond)}/s`;
  if (total === undefined || total <= 0) return `${label}  ${formatCount(done)} ${unit}  ${rate}`;
  const ratio = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `${label} ${bar} ${percent}  ${formatCount(done)}/${formatCount(total)} ${unit}  ${rate}`;
}

export interface ProgressBar {
  update(done: number, total: number | undefined): void;
  finish(summary?: string): void;
}

/**
 * A progress bar on stderr: redrawn in place (at most 10 times a second) on a terminal; on a pipe or a CI log,
 * one line per 10% so logs stay readable.
 */
export function createProgressBar(
  sink: TextSink,
  label: string,
  options: { unit?: string; now?: () => number } = {},
): ProgressBar {
  const now = options.now ?? Date.now;
  const unit = options.unit ?? 'events';
  const startedAt = now();
  let lastDrawAt = 0;
  let lastStep = -1;
  let done = 0;
  let total: number | undefined;
  const line = () => {
    const seconds = Math.max(0.001, (now() - startedAt) / 1000);
    return renderProgress({ label, done, total, unit, ratePerSecond: done / seconds });
  };
  return {
    update(nextDone, nextTotal) {
      done = nextDone;
      total = nextTotal;
      if (sink.isTTY) {
        if (now() - lastDrawAt < 100) return;
        lastDrawAt = now();
        sink.write(`\r${line()}\x1b[K`);
        return;
      }
      const step = total ? Math.floor((done / total) * 10) : -1;
      if (step > lastStep && step < 10) {
        lastStep = step;
        sink.write(`${line()}\n`);
      }
    },
    finish(summary) {
      sink.write(sink.isTTY ? `\r${line()}\x1b[K\n` : `${line()}\n`);
      if (summary) sink.write(`${summary}\n`);
    },
  };
}
