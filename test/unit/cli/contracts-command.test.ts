import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.ts';
import { captureIo } from './capture-io.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const committed = path.join(root, 'contracts/statement-lines/v1.schema.json');

describe('tributary contracts', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'tributary-contracts-cli-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('check passes for the sample bank: its contract is the schema committed in contracts/', async () => {
    const { io, out } = captureIo({}, root);
    expect(await runCli(['contracts', 'check'], io)).toBe(0);
    expect(out.stdout).toContain('Contract statement-line v1 (topic statement-lines) matches its published schema.');
  });

  it('export writes one file per topic and version, the same as the committed one, and is a no-op the second time', async () => {
    const { io, out } = captureIo({}, root);
    expect(await runCli(['contracts', 'export', '--dir', directory], io)).toBe(0);
    const written = path.join(directory, 'statement-lines/v1.schema.json');
    expect(out.stdout).toContain(`statement-line v1: wrote ${written}.`);
    expect(await readFile(written, 'utf8')).toBe(await readFile(committed, 'utf8'));
    expect(await runCli(['contracts', 'export', '--dir', directory], io)).toBe(0);
    expect(out.stdout).toContain('statement-line v1: unchanged.');
  });

  it('check fails before the first export, saying to run it', async () => {
    const { io, out } = captureIo({}, root);
    expect(await runCli(['contracts', 'check', '--dir', directory], io)).toBe(1);
    expect(out.stderr).toContain('has no schema in');
    expect(out.stderr).toContain('run `tributary contracts export`');
  });

  it('check and export fail on a breaking change, naming the field and the rule', async () => {
    const { io, out } = captureIo({}, root);
    await runCli(['contracts', 'export', '--dir', directory], io);
    const file = path.join(directory, 'statement-lines/v1.schema.json');
    const schema = JSON.parse(await readFile(file, 'utf8')) as { properties: Record<string, unknown> };
    // as if v1 had been published with amount as a string: the code's integer breaks its consumers
    schema.properties.amount = { type: 'string' };
    await writeFile(file, JSON.stringify(schema), 'utf8');
    expect(await runCli(['contracts', 'check', '--dir', directory], io)).toBe(1);
    expect(out.stderr).toContain('would break consumers of v1');
    expect(out.stderr).toContain('field amount: type-changed (was string, is now integer)');
    expect(await runCli(['contracts', 'export', '--dir', directory], io)).toBe(1);
    expect(out.stderr).toContain('Refused 1 contract(s): nothing was written for them.');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(schema);
  });

  it('check with --compatibility forward judges only what old consumers read', async () => {
    const { io, out } = captureIo({}, root);
    await runCli(['contracts', 'export', '--dir', directory], io);
    const file = path.join(directory, 'statement-lines/v1.schema.json');
    const schema = JSON.parse(await readFile(file, 'utf8')) as { properties: Record<string, unknown> };
    schema.properties.amount = { type: 'number' };
    await writeFile(file, `${JSON.stringify(schema, null, 2)}\n`, 'utf8');
    // integer where v1 said number: old consumers read it; readers of old messages would not
    expect(await runCli(['contracts', 'check', '--dir', directory, '--compatibility', 'forward'], io)).toBe(1);
    expect(out.stderr).toContain('differs from its published schema of the same version');
    expect(await runCli(['contracts', 'check', '--dir', directory], io)).toBe(1);
    expect(out.stderr).toContain('field amount: type-changed');
  });

  it('refuses a wrong command line with exit code 2', async () => {
    const { io, out } = captureIo({}, root);
    expect(await runCli(['contracts', 'check', '--compatibility', 'sideways'], io)).toBe(2);
    expect(out.stderr).toContain('--compatibility must be full, forward or backward');
    expect(await runCli(['contracts', 'check', '--namespace', 'contoso.servicebus.windows.net'], io)).toBe(2);
    expect(out.stderr).toContain('--namespace and --schema-group go together');
    expect(await runCli(['contracts', 'register'], io)).toBe(2);
    expect(out.stderr).toContain('contracts register needs --namespace and --schema-group');
  });

  it('says how to export contracts when the app module has none', async () => {
    const module = path.join(directory, 'app.mjs');
    await writeFile(
      module,
      'export default () => ({ serve: async () => ({ status: 404 }), processors: [], categories: [] });\n',
    );
    const { io, out } = captureIo({ TRIBUTARY_APP: module }, directory);
    expect(await runCli(['contracts', 'check'], io)).toBe(2);
    expect(out.stderr).toContain('exports no "contracts"');
    expect(out.stderr).toContain('export const contracts = [StatementLine];');
  });
});
