import type { BenchResult } from './result.ts';
import type { Series } from './series.ts';

/** `≥ 1.5`, `≤ 0.01`, or `report` for figures without a goal. */
export function describeTarget(result: BenchResult): string {
  if (result.target === undefined) return 'report';
  return `${result.comparison === '<=' ? '≤' : '≥'} ${formatNumber(result.target)}`;
}

export function verdict(result: BenchResult): string {
  if (result.value === null) return 'NOT MEASURED';
  if (result.pass === undefined) return '—';
  return result.pass ? 'met' : 'NOT MET';
}

export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return String(x);
}

function columnsOf(result: BenchResult): string[] {
  return [
    result.name,
    formatNumber(result.value),
    result.unit,
    formatNumber(result.baseline),
    formatNumber(result.ratio),
    describeTarget(result),
    verdict(result),
  ];
}

const header = ['name', 'value', 'unit', 'baseline', 'ratio', 'target', 'verdict'];

function textTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The console table: one line per result, notes listed under it. */
export function printResults(results: readonly BenchResult[], series: readonly Series[]): string {
  const parts = [textTable(header, results.map(columnsOf))];
  const notes = results.filter((r) => r.note).map((r) => `  ${r.name}: ${r.note}`);
  if (notes.length > 0) parts.push(['notes:', ...notes].join('\n'));
  for (const s of series) {
    parts.push(
      `${s.title}\n${textTable(
        s.columns,
        s.rows.map((row) => row.map((c) => formatCell(c))),
      )}`,
    );
  }
  return parts.join('\n\n');
}

export function formatCell(cell: string | number): string {
  return typeof cell === 'number' ? formatNumber(cell) : cell;
}

/** A GitHub-flavoured markdown table. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${head.map(escapeCell).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

export function resultRows(results: readonly BenchResult[]): string[][] {
  return results.map(columnsOf);
}

export { header as resultHeader };
