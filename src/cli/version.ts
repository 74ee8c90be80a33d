import { createRequire } from 'node:module';

/** The version of the installed package, from its package.json (found by the package's own name). */
export async function packageVersion(): Promise<string> {
  const { version } = createRequire(import.meta.url)('tributary-cosmos/package.json') as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}
