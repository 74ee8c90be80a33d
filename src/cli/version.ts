import { readFile } from 'node:fs/promises';

/** The version of the installed package, from its package.json (the CLI runs from source, with no build step). */
export async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  const { version } = JSON.parse(text) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}
