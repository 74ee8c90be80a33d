import type { CliContext } from './context.ts';

/** One option of a command, as `node:util` parseArgs understands it, plus what `--help` says about it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** shown after the flag in `--help`, e.g. `<time|beginning>` */
  readonly valueName?: string;
  readonly description: string;
}

export interface PositionalSpec {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
}

/** What parsing left for a command to run with. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * A command of the `tributary` CLI: either a leaf that runs, or a group of subcommands (`checkpoints list`).
 * `run` resolves with the exit code (undefined = 0) and throws `UsageError` for bad arguments.
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  readonly positionals?: readonly PositionalSpec[];
  readonly examples?: readonly string[];
  readonly subcommands?: readonly Command[];
  readonly run?: (args: ParsedArgs, context: CliContext) => Promise<number | undefined>;
}
