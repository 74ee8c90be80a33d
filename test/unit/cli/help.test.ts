import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rootCommand } from '../../../src/cli/commands/index.ts';
import { runCli } from '../../../src/cli/run.ts';
import { captureIo } from './capture-io.ts';

describe('tributary --help', () => {
  it('lists every command with a one-line summary and exits 0', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const command of rootCommand.subcommands ?? []) {
      expect(out.stdout).toMatch(new RegExp(`^  ${command.name} +\\S`, 'm'));
    }
    expect(out.stdout).toContain(
      'Exit codes: 0 ok, 1 the operation failed, 2 the command line or the configuration is wrong.',
    );
    expect(out.stderr).toBe('');
  });

  it('shows the usage, arguments and options of a command', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['dump', '--help'], io)).toBe(0);
    expect(out.stdout).toContain('Usage: tributary dump <stream> [options]');
    expect(out.stdout).toContain('<stream>');
    expect(out.stdout).toContain('--endpoint <url>');
    expect(out.stdout).toContain('-h, --help');
  });

  it('shows the help of a subcommand, with its examples', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['checkpoints', 'rewind', '-h'], io)).toBe(0);
    expect(out.stdout).toContain('Usage: tributary checkpoints rewind [options]');
    expect(out.stdout).toContain('--to <time|beginning>');
    expect(out.stdout).toContain('Examples:');
  });

  it("shows a group's subcommands when asked for its help", async () => {
    const { io, out } = captureIo();
    expect(await runCli(['parked', '--help'], io)).toBe(0);
    expect(out.stdout).toContain('Usage: tributary parked <command> [options]');
    expect(out.stdout).toMatch(/^ {2}list +List streams parked/m);
    expect(out.stdout).toMatch(/^ {2}replay +Run a parked stream/m);
  });

  it('answers help before validating arguments, so help works even with a broken command line', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['checkpoints', 'rewind', '--bogus', '--help'], io)).toBe(0);
    expect(out.stdout).toContain('Usage: tributary checkpoints rewind');
  });

  it('prints the package version with --version or -V and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const { io, out } = captureIo();
      expect(await runCli([flag], io)).toBe(0);
      expect(out.stdout).toBe(`tributary ${version}\n`);
    }
  });
});
