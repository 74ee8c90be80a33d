import type { Command, OptionSpec } from './command.ts';

/** The options every command accepts. */
export const globalOptions: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
  verbose: { type: 'boolean', description: 'Print stack traces and more detail on errors.' },
};

function usageLine(command: Command, path: string): string {
  const parts = [`tributary${path ? ` ${path}` : ''}`];
  if (command.subcommands) parts.push('<command>');
  for (const positional of command.positionals ?? []) {
    parts.push(positional.required ? `<${positional.name}>` : `[${positional.name}]`);
  }
  parts.push('[options]');
  return parts.join(' ');
}

function flag(name: string, spec: OptionSpec): string {
  const long = `--${name}${spec.type === 'string' ? ` ${spec.valueName ?? '<value>'}` : ''}`;
  return spec.short ? `-${spec.short}, ${long}` : `    ${long}`;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`);
}

/** The `--help` text of a command: usage, description, subcommands or positionals, options, examples. */
export function renderHelp(command: Command, path: string): string {
  const lines = [`Usage: ${usageLine(command, path)}`, '', command.description ?? command.summary];
  if (command.subcommands) {
    lines.push('', 'Commands:', ...table(command.subcommands.map((sub) => [sub.name, sub.summary])));
  }
  if (command.positionals?.length) {
    lines.push('', 'Arguments:', ...table(command.positionals.map((p) => [`<${p.name}>`, p.description])));
  }
  const options = { ...command.options, ...globalOptions };
  lines.push(
    '',
    'Options:',
    ...table(Object.entries(options).map(([name, spec]) => [flag(name, spec), spec.description])),
  );
  if (command.examples?.length) {
    lines.push('', 'Examples:', ...command.examples.map((example) => `  ${example}`));
  }
  if (command.subcommands) {
    lines.push('', `Run "tributary${path ? ` ${path}` : ''} <command> --help" for the options of a command.`);
  }
  return `${lines.join('\n')}\n`;
}
