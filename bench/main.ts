/**
 * `npm run bench [-- --quick] [-- --json <file>] [-- --only store,feed] [-- --report]`
 *
 * Runs every suite in this process and prints a table; with `--json`, writes the results as `{ "results": [...] }`;
 * with `--report` (a whole run only), rewrites `bench/REPORT.md`. Without those it leaves the git tree as it was.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineFacts } from './harness/machine.ts';
import { type BenchRun, toJson, toMarkdown } from './harness/report.ts';
import type { BenchResult } from './harness/result.ts';
import type { Series } from './harness/series.ts';
import { collectsGarbage } from './harness/side-by-side.ts';
import { runSuite } from './harness/suite.ts';
import { printResults } from './harness/table.ts';
import { suites } from './suites/index.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string' },
    rounds: { type: 'string' },
    report: { type: 'boolean', default: false },
  },
});

const quick = values.quick ?? false;
const rounds = values.rounds ? Number(values.rounds) : quick ? 3 : 5;
const only = values.only?.split(',').map((s) => s.trim());
const selected = only ? suites.filter((s) => only.includes(s.name)) : suites;
if (only && selected.length !== only.length) {
  const known = suites.map((s) => s.name).join(', ');
  console.error(`Unknown suite in --only ${values.only}; known suites: ${known}`);
  process.exit(2);
}

const log = (message: string) => console.error(message);
if (!collectsGarbage()) {
  log(
    'Node was started without --expose-gc: timed runs do not start with a collected young generation (`npm run bench` does).',
  );
}
const started = performance.now();
const results: BenchResult[] = [];
const series: Series[] = [];
const failures: { suite: string; reason: string }[] = [];
for (const suite of selected) {
  log(`bench ${suite.name}${quick ? ' (quick)' : ''}`);
  const out = await runSuite(suite, { quick, rounds, log });
  results.push(...out.results);
  series.push(...out.series);
  if (out.failure) failures.push({ suite: suite.name, reason: out.failure });
}

const run: BenchRun = {
  mode: quick ? 'quick' : 'full',
  machine: machineFacts(),
  durationSeconds: (performance.now() - started) / 1000,
  results,
  series,
  failures,
};

console.log(printResults(results, series));
for (const { suite, reason } of failures) console.log(`suite ${suite} failed: ${reason}`);
if (values.json) {
  writeFileSync(values.json, toJson(run));
  log(`wrote ${values.json}`);
}
if (values.report && only) log('--report is ignored with --only: the report covers a whole run');
if (values.report && !only) {
  const reportPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'REPORT.md');
  writeFileSync(reportPath, toMarkdown(run));
  log(`wrote ${path.relative(process.cwd(), reportPath)}`);
}
const missed = results.filter((r) => r.pass === false).length;
log(`${results.length} results, ${missed} targets not met, ${Math.round(run.durationSeconds)} s`);
// Suites close what they open; exit anyway so a stray kafkajs timer cannot keep the run alive.
process.exit(0);
