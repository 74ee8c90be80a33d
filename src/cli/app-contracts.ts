import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { SummaryContract } from '../summaries/index.ts';
import type { ParsedArgs } from './command.ts';
import type { CliContext } from './context.ts';

const contractShape = z.looseObject({
  name: z.string().min(1),
  version: z.number().int().min(1),
  topic: z.string().min(1),
  source: z.string().min(1),
  schemaUri: z.string().min(1),
  // duck-typed: the app may bring its own copy of zod
  schema: z.custom<z.ZodType>(
    (value) => typeof (value as { safeParse?: unknown } | null)?.safeParse === 'function',
    'expected a zod schema',
  ),
});

/** The summary contracts of the user's app: the `contracts` export of the app module, and how to name the module. */
export interface AppContracts {
  readonly contracts: readonly SummaryContract[];
  readonly source: string;
}

/**
 * Imports the app module named by `--app`, `TRIBUTARY_APP` or `tributary.config.json` (as the hosting commands do)
 * without starting it, and returns its `contracts` export: an array of contracts from `defineSummaryContract`.
 * Throws `InvalidAppModule` (exit code 2) when the module can't be loaded or exports no such array.
 */
export async function appContracts(args: ParsedArgs, context: CliContext): Promise<AppContracts> {
  const { findAppModule, InvalidAppModule, loadAppFactory } = await import('../dev/app-module.ts');
  const flag = typeof args.values.app === 'string' ? args.values.app : undefined;
  const ref = await findAppModule(context.io.cwd, flag, context.io.env.TRIBUTARY_APP || undefined);
  await loadAppFactory(ref);
  const module = (await import(pathToFileURL(ref.path).href)) as Record<string, unknown>;
  const parsed = z.array(contractShape).safeParse(module.contracts);
  if (!parsed.success) {
    throw new InvalidAppModule(
      ref.source,
      module.contracts === undefined
        ? 'exports no "contracts": export the summary contracts it publishes, e.g. ' +
            '`export const contracts = [StatementLine];` (each from defineSummaryContract).'
        : `exports "contracts" that are not summary contracts from defineSummaryContract: ${z.prettifyError(parsed.error)}`,
    );
  }
  return { contracts: module.contracts as SummaryContract[], source: ref.source };
}
