export type { Command, OptionSpec, ParsedArgs, PositionalSpec } from './command.ts';
export { rootCommand } from './commands/index.ts';
export type { CliContext, CliIo, TextSink } from './context.ts';
export { ExitCode } from './exit-codes.ts';
export { createProgressBar, type ProgressBar, renderProgress } from './progress.ts';
export { runCli } from './run.ts';
export { UsageError } from './usage-error.ts';
