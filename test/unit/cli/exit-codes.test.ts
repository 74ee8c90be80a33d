import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/cli/command.ts';
import { runCli } from '../../../src/cli/run.ts';
import { TributaryError } from '../../../src/core/index.ts';
import { captureIo } from './capture-io.ts';

class AccountNotFound extends TributaryError {
  readonly code = 'AccountNotFound';
}

const root: Command = {
  name: 'tributary',
  summary: 'test root',
  subcommands: [
    {
      name: 'echo',
      summary: 'Prints its argument.',
      positionals: [{ name: 'word', required: true, description: 'what to print' }],
      options: { upper: { type: 'boolean', description: 'in capitals' } },
      async run(args, context) {
        const word = args.positionals[0]!;
        context.io.stdout.write(`${args.values.upper ? word.toUpperCase() : word}\n`);
        return undefined;
      },
    },
    {
      name: 'fail-typed',
      summary: 'Fails with a typed error.',
      async run() {
        throw new AccountNotFound('Account-42 does not exist; open it first.');
      },
    },
    {
      name: 'fail-crash',
      summary: 'Fails with an unexpected error.',
      async run() {
        throw new Error('socket hang up');
      },
    },
  ],
};

describe('tributary exit codes and error messages', () => {
  it('exits 0 and prints the result when a command succeeds', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['echo', 'hello', '--upper'], io, root)).toBe(0);
    expect(out.stdout).toBe('HELLO\n');
  });

  it('exits 2 with a pointer to help for an unknown command', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['ech'], io, root)).toBe(2);
    expect(out.stderr).toContain('Unknown command "ech". Commands: echo, fail-typed, fail-crash.');
    expect(out.stderr).toContain('Run "tributary --help" for usage.');
  });

  it("exits 2 for an unknown option, naming it and the command's help", async () => {
    const { io, out } = captureIo();
    expect(await runCli(['echo', 'hi', '--loud'], io, root)).toBe(2);
    expect(out.stderr).toContain("Unknown option '--loud'");
    expect(out.stderr).toContain('Run "tributary echo --help" for usage.');
  });

  it('exits 2 when a required argument is missing, saying which', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['echo'], io, root)).toBe(2);
    expect(out.stderr).toContain('Missing <word>: what to print');
  });

  it('exits 2 for an argument too many', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['echo', 'a', 'b'], io, root)).toBe(2);
    expect(out.stderr).toContain('Unexpected argument "b".');
  });

  it('exits 2 and prints the commands when run without one', async () => {
    const { io, out } = captureIo();
    expect(await runCli([], io, root)).toBe(2);
    expect(out.stderr).toContain('Usage: tributary <command> [options]');
    expect(out.stdout).toBe('');
  });

  it("exits 1 with the typed error's message and no stack trace", async () => {
    const { io, out } = captureIo();
    expect(await runCli(['fail-typed'], io, root)).toBe(1);
    expect(out.stderr).toBe('tributary: Account-42 does not exist; open it first.\n');
  });

  it('exits 1 for an unexpected error and offers --verbose for details', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['fail-crash'], io, root)).toBe(1);
    expect(out.stderr).toBe('tributary: socket hang up\n(run with --verbose for details)\n');
  });

  it('prints the stack trace with --verbose', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['fail-crash', '--verbose'], io, root)).toBe(1);
    expect(out.stderr).toContain('tributary: socket hang up\nError: socket hang up\n    at ');
  });
});
