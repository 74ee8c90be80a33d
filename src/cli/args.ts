import { parseArgs } from 'node:util';
import type { Command, ParsedArgs } from './command.ts';
import { globalOptions } from './help.ts';
import { UsageError } from './usage-error.ts';

/** The command named by the leading words of argv (`checkpoints rewind`), and the arguments left for it. */
export interface ResolvedCommand {
  readonly command: Command;
  /** the words that named it, e.g. `checkpoints rewind`; empty for the root */
  readonly path: string;
  readonly rest: readonly string[];
}

export function resolveCommand(root: Command, argv: readonly string[]): ResolvedCommand {
  let command = root;
  const words: string[] = [];
  let index = 0;
  while (command.subcommands && index < argv.length) {
    const word = argv[index]!;
    if (word.startsWith('-')) break;
    const next = command.subcommands.find((sub) => sub.name === word);
    if (!next) {
      const known = command.subcommands.map((sub) => sub.name).join(', ');
      throw new UsageError(`Unknown command "${[...words, word].join(' ')}". Commands: ${known}.`, words.join(' '));
    }
    command = next;
    words.push(word);
    index++;
  }
  return { command, path: words.join(' '), rest: argv.slice(index) };
}

/** True when the arguments ask for help (before any `--`). */
export function wantsHelp(rest: readonly string[]): boolean {
  const end = rest.indexOf('--');
  return (end === -1 ? rest : rest.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * `--from -2h` as `--from=-2h`: a value that starts with `-` and a digit (a time ago, a negative number) belongs to
 * the string option before it; node's parseArgs would otherwise refuse it as ambiguous.
 */
function joinDashValues(args: readonly string[], options: Readonly<Record<string, { type: string }>>): string[] {
  const joined: string[] = [];
  for (let at = 0; at < args.length; at++) {
    const arg = args[at]!;
    const next = args[at + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      at++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** Parses a leaf command's arguments strictly: unknown options, missing values and extra words are usage errors. */
export function parseCommandArgs(command: Command, path: string, rest: readonly string[]): ParsedArgs {
  const options = { ...command.options, ...globalOptions };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: joinDashValues(rest, options),
      options: Object.fromEntries(
        Object.entries(options).map(([name, spec]) => [
          name,
          spec.short ? { type: spec.type, short: spec.short } : { type: spec.type },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), path);
  }
  const expected = command.positionals ?? [];
  const missing = expected.find((positional, i) => positional.required && parsed.positionals[i] === undefined);
  if (missing) throw new UsageError(`Missing <${missing.name}>: ${missing.description}`, path);
  if (parsed.positionals.length > expected.length) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[expected.length]}".`, path);
  }
  return parsed;
}
