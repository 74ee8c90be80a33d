import { TributaryError } from '../core/errors.ts';
import { parseCommandArgs, resolveCommand, wantsHelp } from './args.ts';
import type { Command } from './command.ts';
import { rootCommand } from './commands/index.ts';
import type { CliIo } from './context.ts';
import { ExitCode } from './exit-codes.ts';
import { renderHelp } from './help.ts';
import { UsageError } from './usage-error.ts';
import { packageVersion } from './version.ts';

const asksForVersion = (rest: readonly string[]) => rest.some((arg) => arg === '--version' || arg === '-V');

/**
 * Runs one `tributary` command line and resolves with its exit code: 0 ok, 1 the operation failed, 2 the command
 * line was wrong. Errors are printed as one sentence; stacks only with `--verbose`.
 */
export async function runCli(argv: readonly string[], io: CliIo, root: Command = rootCommand): Promise<number> {
  const verbose = argv.includes('--verbose');
  try {
    const { command, path, rest } = resolveCommand(root, argv);
    if (wantsHelp(rest)) {
      io.stdout.write(renderHelp(command, path));
      return ExitCode.ok;
    }
    if (path === '' && asksForVersion(rest)) {
      io.stdout.write(`tributary ${await packageVersion()}\n`);
      return ExitCode.ok;
    }
    if (!command.run) {
      if (rest.length === 0 || rest.every((arg) => arg === '--verbose')) {
        io.stderr.write(renderHelp(command, path));
        return ExitCode.usage;
      }
      throw new UsageError(`Unexpected argument "${rest[0]}".`, path);
    }
    const args = parseCommandArgs(command, path, rest);
    return (await command.run(args, { io, verbose, commandPath: path })) ?? ExitCode.ok;
  } catch (error) {
    return reportError(error, io, verbose);
  }
}

/** Errors of configuration the user must fix before anything can start: exit code 2, like a wrong command line. */
const configurationErrors = new Set(['InvalidAppModule', 'NoAppConfigured']);

function reportError(error: unknown, io: CliIo, verbose: boolean): number {
  if (error instanceof TributaryError && configurationErrors.has(error.code)) {
    io.stderr.write(`tributary: ${error.message}\n`);
    if (verbose && error.stack) io.stderr.write(`${error.stack}\n`);
    return ExitCode.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`tributary: ${error.message}\n`);
    io.stderr.write(`Run "tributary${error.commandPath ? ` ${error.commandPath}` : ''} --help" for usage.\n`);
    return ExitCode.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`tributary: ${message}\n`);
  if (verbose && error instanceof Error && error.stack) {
    io.stderr.write(`${error.stack}\n`);
  } else if (!(error instanceof TributaryError)) {
    io.stderr.write('(run with --verbose for details)\n');
  }
  return ExitCode.failure;
}
